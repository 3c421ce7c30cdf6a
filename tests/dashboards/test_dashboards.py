"""Team and department dashboards and permissions, both ways (8.2, 12, 14.2)."""

from datetime import timedelta

import pytest
import rules
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from callogs.models import TerminatedCallLog
from contacts.models import Callback
from restrictions.constants import Kind, Status
from restrictions.models import Restriction
from tests.dashboards.conftest import contacts, populate
from welfare.models import WelfareFollowUp

TEAM = reverse("dashboards:team")
DEPARTMENT = reverse("dashboards:department")
REPORTS = reverse("dashboards:reports")
REPORT = reverse("dashboards:report", args=["behaviour"])
REPORT_CSV = reverse("dashboards:report_csv", args=["behaviour"])


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("url", [TEAM, DEPARTMENT, REPORTS, REPORT])
def test_dashboard_query_count_is_constant_at_10_and_500_rows(world, client_for, url):
    client = client_for(world.boss)
    populate(world, 10)
    few = _count(client, url)
    populate(world, 490)
    assert _count(client, url) == few


@pytest.mark.django_db
def test_team_dashboard_figures(world, client_for):
    now = timezone.now()
    contacts(world, 2, world.caseworker, behaviour="difficult")
    contacts(world, 1, world.caseworker, behaviour="abusive", terminated=True)
    contacts(world, 1, world.caseworker, behaviour="abusive",
             started_at=now - timedelta(days=40))  # outside the last 30 days
    contacts(world, 5, world.outsider, behaviour="abusive")  # another team
    WelfareFollowUp.objects.create(staff=world.caseworker, manager=world.manager,
                                   reason="termination", due_at=now - timedelta(days=1))
    WelfareFollowUp.objects.create(staff=world.caseworker, manager=world.manager,
                                   reason="termination", due_at=now + timedelta(days=1))
    made = contacts(world, 1, world.caseworker)
    Callback.objects.create(contact=made[0], assigned_to=world.caseworker,
                            arranged_by=world.caseworker, due_at=now - timedelta(hours=2))
    ended = contacts(world, 4, world.caseworker, terminated=True)  # unclassified, ended
    for contact, status in zip(ended, ["draft", "submitted", "submitted", "reviewed"],
                               strict=True):
        TerminatedCallLog.objects.create(
            contact=contact, author=world.caseworker, call_at=now, reason="Abuse",
            staff_name="Casey", status=status,
            submitted_at=None if status == "draft" else now)
    outsider_log = contacts(world, 1, world.outsider, terminated=True)[0]
    TerminatedCallLog.objects.create(contact=outsider_log, author=world.outsider, call_at=now,
                                     reason="Abuse", staff_name="Out", status="submitted",
                                     submitted_at=now)
    response = client_for(world.manager).get(TEAM)
    figures = response.context["figures"]
    assert {b["key"]: b["count"] for b in figures["behaviour"]} == {
        "difficult": 2, "persistent": 0, "offensive": 0, "abusive": 1}
    assert figures["classified"] == 3
    assert figures["contacts"] == 2 + 1 + 1 + 4  # the last 30 days, classified or not
    assert figures["terminated"] == 1 + 4
    assert (figures["pending_reviews"], figures["draft_logs"]) == (2, 1)
    assert figures["follow_ups_overdue"] == 1
    assert figures["follow_ups_due"] == 2
    assert figures["callbacks_overdue"] == 1
    wider = client_for(world.manager).get(TEAM + "?date_from=" +
                                          (now - timedelta(days=60)).date().isoformat())
    assert {b["key"]: b["count"] for b in wider.context["figures"]["behaviour"]}["abusive"] == 2


@pytest.mark.django_db
def test_team_dashboard_bad_dates_show_an_error(world, client_for):
    response = client_for(world.manager).get(TEAM + "?date_from=2026-13-45")
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


@pytest.mark.django_db
def test_department_dashboard_by_team(world, client_for):
    today = timezone.localdate()
    base = {"customer": world.customer, "requested_by": world.caseworker,
            "department": world.department, "grounds": "g", "terms": ["written_only"]}
    Restriction.objects.create(**base, status=Status.SUBMITTED, start_date=today,
                               review_date=today + timedelta(days=90))
    Restriction.objects.create(**base, status=Status.APPROVED, decided_by=world.hod,
                               decided_at=timezone.now(), start_date=today,
                               review_date=today + timedelta(days=5))
    Restriction.objects.create(**{**base, "kind": Kind.ADJUSTMENT}, status=Status.APPROVED,
                               decided_by=world.hod, decided_at=timezone.now(),
                               start_date=today, review_date=today + timedelta(days=60))
    Restriction.objects.create(**{**base, "requested_by": world.outsider,
                                  "department": world.other_department},
                               status=Status.SUBMITTED, start_date=today,
                               review_date=today + timedelta(days=90))
    response = client_for(world.hod).get(DEPARTMENT)
    assert response.context["teams"] == [{"name": "Morgan Manager", "waiting": 1,
                                          "restrictions": 1, "adjustments": 1,
                                          "review_due": 1}]
    other = client_for(world.boss).get(DEPARTMENT)
    assert other.context["totals"]["waiting"] == 1
    assert other.context["teams"][0]["name"] == "Olly Other"


@pytest.mark.django_db
def test_department_dashboard_teams_in_manager_order_counting_only_what_is_live(
        world, client_for, make_user):
    today = timezone.localdate()
    able = make_user(department=world.department, first_name="Aaron", last_name="Able")
    ables_caseworker = make_user(department=world.department, line_manager=able)
    second = make_user(department=world.department, line_manager=world.manager)
    nobodys = make_user(department=world.department)  # no line manager
    decided = {"decided_by": world.hod, "decided_at": timezone.now()}

    def record(requester, status, kind=Kind.RESTRICTION, start=0, review=60, end=None):
        Restriction.objects.create(
            customer=world.customer, requested_by=requester, department=world.department,
            grounds="g", kind=kind, status=status, start_date=today + timedelta(days=start),
            review_date=today + timedelta(days=review),
            end_date=None if end is None else today + timedelta(days=end),
            **({} if status in (Status.SUBMITTED, Status.DRAFT) else decided))

    # Morgan Manager's team: two requesters, added up.
    record(world.caseworker, Status.SUBMITTED)
    record(second, Status.SUBMITTED)
    record(world.caseworker, Status.APPROVED, review=5)                    # in force, due
    record(second, Status.RENEWED, kind=Kind.ADJUSTMENT)                   # in force
    record(second, Status.UNDER_REVIEW, review=0)                          # in force, due
    # Not counted: ended, not yet started, past its review or end date, refused, a draft.
    record(world.caseworker, Status.LIFTED)
    record(world.caseworker, Status.APPROVED, start=3, review=60)
    record(world.caseworker, Status.APPROVED, start=-90, review=-1)
    record(world.caseworker, Status.APPROVED, start=-90, review=60, end=-1)
    record(world.caseworker, Status.REFUSED)
    record(world.caseworker, Status.DRAFT)
    # Aaron Able's team sorts first; the one with no line manager last; a team with nothing
    # that counts is left out.
    record(ables_caseworker, Status.APPROVED, kind=Kind.ADJUSTMENT, review=200)
    record(nobodys, Status.SUBMITTED)
    record(make_user(department=world.department, line_manager=make_user(last_name="Zed")),
           Status.EXPIRED)

    response = client_for(world.hod).get(DEPARTMENT)
    assert response.context["teams"] == [
        {"name": "Aaron Able", "waiting": 0, "restrictions": 0, "adjustments": 1,
         "review_due": 0},
        {"name": "Morgan Manager", "waiting": 2, "restrictions": 2, "adjustments": 1,
         "review_due": 2},
        {"name": "No line manager", "waiting": 1, "restrictions": 0, "adjustments": 0,
         "review_due": 0},
    ]
    assert response.context["totals"] == {"waiting": 3, "restrictions": 2, "adjustments": 2,
                                          "review_due": 2}


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "url", "allowed"), [
    ("caseworker", TEAM, False), ("manager", TEAM, True), ("senior", TEAM, False),
    ("compliance", TEAM, False), ("hod", TEAM, True),
    ("caseworker", DEPARTMENT, False), ("manager", DEPARTMENT, False),
    ("hod", DEPARTMENT, True), ("senior", DEPARTMENT, False),
    ("caseworker", REPORTS, False), ("manager", REPORTS, True), ("hod", REPORTS, True),
    ("senior", REPORTS, True), ("compliance", REPORTS, True),
    ("caseworker", REPORT, False), ("manager", REPORT, True), ("compliance", REPORT, True),
    ("caseworker", REPORT_CSV, False), ("manager", REPORT_CSV, True),
])
def test_permissions_both_ways(world, client_for, who, url, allowed):
    response = client_for(getattr(world, who)).get(url)
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.django_db
def test_rules_deny_by_default(world, make_user):
    nobody = make_user()
    for perm in ("dashboards.view_team_dashboard", "dashboards.view_department_dashboard",
                 "dashboards.view_reports"):
        assert not nobody.has_perm(perm)
        assert rules.perm_exists(perm)
    assert world.compliance.has_perm("dashboards.view_reports")
    assert not world.compliance.has_perm("dashboards.view_team_dashboard")


@pytest.mark.django_db
def test_navigation_by_role(world, client_for):
    """The dashboards are in the navigation's Team section (issue 24) for those who may."""
    team = reverse("core:section_team")
    manager = client_for(world.manager).get(team).content.decode()
    hod = client_for(world.hod).get(team).content.decode()
    caseworker = client_for(world.caseworker).get(team).content.decode()
    assert f'href="{TEAM}"' in manager
    assert f'href="{DEPARTMENT}"' not in manager
    assert f'href="{DEPARTMENT}"' in hod
    assert f'href="{REPORTS}"' in hod
    assert f'href="{REPORTS}"' not in caseworker
    assert f'href="{TEAM}"' not in caseworker


def test_bench_has_a_scenario_for_every_dashboard_and_report():
    from core.bench import scenarios
    from dashboards.bench import dashboard_scenarios

    assert dashboard_scenarios in scenarios.BUILDERS


@pytest.mark.django_db
def test_bench_scenarios_all_answer(world, client_for, monkeypatch):
    from core.bench.scenarios import Fixtures
    from dashboards import bench

    monkeypatch.setattr(bench, "head_of_department", lambda: world.hod)
    built = bench.dashboard_scenarios(Fixtures(caseworker=world.caseworker, manager=world.manager,
                                               hot_customer=world.customer, hot_contact=None))
    names = {s.name for s in built}
    assert "dashboard: team (last 30 days)" in names
    assert "report: restrictions by team (department)" in names
    for scenario in built:
        assert client_for(scenario.user).get(scenario.path).status_code == scenario.expect

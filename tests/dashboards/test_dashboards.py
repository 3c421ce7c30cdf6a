"""Team and department dashboards and permissions, both ways (8.2, 12, 14.2)."""

from datetime import timedelta

import pytest
import rules
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

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
    response = client_for(world.manager).get(TEAM)
    figures = response.context["figures"]
    assert {b["key"]: b["count"] for b in figures["behaviour"]} == {
        "difficult": 2, "persistent": 0, "offensive": 0, "abusive": 1}
    assert figures["terminated"] == 1
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
    home = reverse("core:home")
    manager = client_for(world.manager).get(home).content.decode()
    hod = client_for(world.hod).get(home).content.decode()
    caseworker = client_for(world.caseworker).get(home).content.decode()
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

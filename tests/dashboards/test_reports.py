"""Reports: figures aggregated in the database, filters, scope, CSV and the chart (8.2, 12)."""

import csv
import io
import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contacts.models import Callback
from dashboards.reports import REPORTS, as_csv, compute, csv_safe, report_scope
from restrictions.constants import Kind, Status
from restrictions.models import Restriction
from tests.dashboards.conftest import contacts

NOW = datetime(2026, 6, 15, 12, tzinfo=timezone.get_fixed_timezone(0))


def url(slug, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("dashboards:report", args=[slug]) + (f"?{query}" if query else "")


def csv_url(slug, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("dashboards:report_csv", args=[slug]) + (f"?{query}" if query else "")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def seeded(world, frozen):
    """Manager's team: 3 difficult + 2 abusive in May (1 by email), 1 offensive in June.
    The other department: 4 persistent in June."""
    may = NOW - timedelta(days=30)
    contacts(world, 3, world.caseworker, behaviour="difficult", started_at=may)
    contacts(world, 1, world.caseworker, behaviour="abusive", started_at=may, terminated=True)
    contacts(world, 1, world.caseworker, behaviour="abusive", started_at=may, terminated=True,
             channel="email")
    contacts(world, 1, world.caseworker, behaviour="offensive", started_at=NOW)
    contacts(world, 2, world.caseworker, started_at=NOW)  # not classified: not counted
    contacts(world, 4, world.outsider, behaviour="persistent", started_at=NOW)
    return world


def rows(figures):
    return {r.label: r.values for r in figures.rows}


@pytest.mark.django_db
def test_behaviour_by_month_for_everything(seeded):
    figures = compute(REPORTS["behaviour"], scope=report_scope(seeded.senior),
                      date_from=NOW.date().replace(month=5, day=1), date_to=NOW.date(),
                      by="month")
    # Columns: difficult, persistent, offensive, abusive.
    assert rows(figures) == {"May 2026": [3, 0, 0, 2], "June 2026": [0, 4, 1, 0]}
    assert figures.totals == [3, 4, 1, 2]
    assert figures.grand_total == 10


@pytest.mark.django_db
def test_line_manager_sees_only_their_team(seeded):
    figures = compute(REPORTS["behaviour"], scope=report_scope(seeded.manager),
                      date_from=NOW.date().replace(month=5, day=1), date_to=NOW.date(),
                      by="team")
    assert rows(figures) == {"Morgan Manager": [3, 0, 1, 2]}


@pytest.mark.django_db
def test_head_of_department_sees_their_department_by_channel(seeded):
    figures = compute(REPORTS["terminated"], scope=report_scope(seeded.hod),
                      date_from=NOW.date().replace(month=1, day=1), date_to=NOW.date(),
                      by="channel")
    assert rows(figures) == {"Email": [1], "Telephone": [1]}
    other = compute(REPORTS["behaviour"], scope=report_scope(seeded.boss),
                    date_from=NOW.date().replace(month=1, day=1), date_to=NOW.date(),
                    by="team")
    # boss is senior staff too: everything.
    assert rows(other)["Olly Other"] == [0, 4, 0, 0]


@pytest.mark.django_db
def test_callbacks_on_time_late_and_overdue(world, frozen):
    due = NOW - timedelta(days=2)
    made = contacts(world, 4, world.caseworker)
    Callback.objects.bulk_create([
        Callback(contact=made[0], assigned_to=world.caseworker, arranged_by=world.caseworker,
                 due_at=due, status="done", done_at=due - timedelta(hours=1)),
        Callback(contact=made[1], assigned_to=world.caseworker, arranged_by=world.caseworker,
                 due_at=due, status="done", done_at=due + timedelta(hours=3)),
        Callback(contact=made[2], assigned_to=world.caseworker, arranged_by=world.caseworker,
                 due_at=due),
        Callback(contact=made[3], assigned_to=world.caseworker, arranged_by=world.caseworker,
                 due_at=NOW + timedelta(days=1)),  # not yet due: in no column
    ])
    figures = compute(REPORTS["callbacks"], scope=report_scope(world.manager),
                      date_from=NOW.date().replace(day=1), date_to=NOW.date() + timedelta(days=5),
                      by="month")
    assert rows(figures) == {"June 2026": [1, 1, 1]}


@pytest.mark.django_db
def test_restrictions_in_force_per_month(world, frozen):
    today = NOW.date()
    base = {"customer_id": world.customer.pk, "requested_by": world.caseworker,
            "department": world.department, "grounds": "g", "decided_by": world.hod,
            "decided_at": NOW}
    Restriction.objects.bulk_create([
        Restriction(**base, status=Status.APPROVED, terms=["written_only"],
                    start_date=today.replace(month=4, day=10),
                    review_date=today.replace(month=9, day=1)),
        Restriction(**base, status=Status.APPROVED, kind=Kind.ADJUSTMENT, terms=[],
                    start_date=today.replace(month=6, day=1),
                    review_date=today.replace(month=12, day=1)),
        Restriction(**base, status=Status.LIFTED, terms=["email_only"],
                    start_date=today.replace(month=3, day=1),
                    review_date=today.replace(month=9, day=1),
                    end_date=today.replace(month=4, day=30)),
        Restriction(**{**base, "decided_by": None, "decided_at": None},
                    status=Status.SUBMITTED, terms=["email_only"],  # never in force
                    start_date=today.replace(month=1, day=1),
                    review_date=today.replace(month=9, day=1)),
    ])
    figures = compute(REPORTS["restrictions"], scope=report_scope(world.hod),
                      date_from=today.replace(month=3, day=1), date_to=today, by="month")
    assert rows(figures) == {"March 2026": [1, 0], "April 2026": [2, 0], "May 2026": [1, 0],
                             "June 2026": [1, 1]}
    outside = compute(REPORTS["restrictions"], scope=report_scope(world.other_manager),
                      date_from=today.replace(month=3, day=1), date_to=today, by="month")
    assert outside.grand_total == 0


@pytest.mark.django_db
@pytest.mark.parametrize("slug", sorted(REPORTS))
def test_report_page_query_count_is_constant(world, client_for, slug, frozen):
    client = client_for(world.senior)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url(slug, by="team"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    contacts(world, 10, world.caseworker, behaviour="difficult", terminated=True)
    few = count()
    contacts(world, 490, world.outsider, behaviour="abusive", terminated=True)
    assert count() == few


@pytest.mark.django_db
def test_the_page_shows_chart_table_and_csv_link(seeded, client_for):
    response = client_for(seeded.senior).get(url("behaviour", date_from="2026-05-01"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' in html
    assert 'aria-labelledby="chart-title chart-desc"' in html
    assert "<title id=\"chart-title\">" in html
    assert "style=" not in html
    values = [int(v) for v in re.findall(r'data-value="(\d+)"', html)]
    assert values == [3, 0, 0, 2, 0, 4, 1, 0]
    assert reverse("dashboards:report_csv", args=["behaviour"]) + "?date_from=2026-05-01" in html


@pytest.mark.django_db
def test_csv_has_the_same_figures(seeded, client_for):
    response = client_for(seeded.senior).get(csv_url("behaviour", date_from="2026-05-01"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0] == ["Month", "Difficult", "Persistent", "Offensive or insulting",
                        "Abusive or threatening", "Total"]
    assert table[1] == ["May 2026", "3", "0", "0", "2", "5"]
    assert table[2] == ["June 2026", "0", "4", "1", "0", "5"]
    assert table[-1] == ["Total", "3", "4", "1", "2", "10"]


@pytest.mark.django_db
def test_csv_is_injection_safe(world, frozen):
    world.manager.first_name = "=HYPERLINK(evil)"
    world.manager.save()
    contacts(world, 1, world.caseworker, behaviour="difficult")
    figures = compute(REPORTS["behaviour"], scope=report_scope(world.senior),
                      date_from=NOW.date().replace(day=1), date_to=NOW.date(), by="team")
    text = as_csv(figures)
    assert "'=HYPERLINK(evil) Manager" in text
    assert csv_safe("-1") == "'-1"
    assert csv_safe("@x") == "'@x"
    assert csv_safe("plain") == "plain"


@pytest.mark.django_db
@pytest.mark.parametrize("params", [
    {"date_from": "not-a-date"},
    {"date_from": "2026-06-10", "date_to": "2026-06-01"},
    {"date_from": "2020-01-01", "date_to": "2026-06-01"},  # more than 36 months
    {"by": "customer"},
    {"channel": "pigeon"},
    {"department": "999999"},
    {"team": "abc"},
])
def test_bad_filters_give_an_error_summary_never_a_500(world, client_for, params, frozen):
    client = client_for(world.senior)
    response = client.get(url("behaviour", **params))
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "data-value" not in html
    assert client.get(csv_url("behaviour", **params)).status_code == 400


@pytest.mark.django_db
def test_restrictions_report_has_no_channel_breakdown(world, client_for, frozen):
    response = client_for(world.senior).get(url("restrictions", by="channel"))
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_line_manager_cannot_choose_another_team_or_department(seeded, client_for):
    client = client_for(seeded.manager)
    assert client.get(url("behaviour", team=seeded.other_manager.pk)).status_code == 400
    assert client.get(url("behaviour", department=seeded.other_department.pk)).status_code == 400
    own = client.get(url("behaviour", team=seeded.manager.pk, date_from="2026-05-01"))
    assert own.status_code == 200
    assert own.context["figures"].grand_total == 6


@pytest.mark.django_db
def test_filters_narrow_the_figures(seeded, client_for):
    client = client_for(seeded.senior)
    response = client.get(url("behaviour", date_from="2026-05-01", channel="email"))
    assert response.context["figures"].grand_total == 1
    response = client.get(url("behaviour", date_from="2026-05-01",
                              department=seeded.other_department.pk))
    assert response.context["figures"].grand_total == 4
    response = client.get(url("behaviour", date_from="2026-06-01", date_to="2026-06-30"))
    assert response.context["figures"].grand_total == 5


@pytest.mark.django_db
def test_unknown_report_is_404(world, client_for):
    assert client_for(world.senior).get(url("salaries")).status_code == 404


@pytest.mark.django_db
def test_restrictions_in_force_per_month_match_a_record_by_record_count(world, frozen):
    """Random records and ranges (part-months at both ends included) against a plain loop."""
    import random

    from dashboards.reports import month_starts

    rng = random.Random(12)
    today = NOW.date()
    records = []
    for _ in range(80):
        start = today - timedelta(days=rng.randrange(500))
        review = start + timedelta(days=rng.randrange(1, 400))
        end = start + timedelta(days=rng.randrange(0, 300)) if rng.random() < 0.3 else None
        records.append(Restriction(
            customer_id=world.customer.pk, requested_by=world.caseworker,
            department=world.department, grounds="g", terms=[], decided_by=world.hod,
            kind=rng.choice([Kind.RESTRICTION, Kind.ADJUSTMENT]),
            status=rng.choice([Status.APPROVED, Status.LIFTED, Status.RENEWED]),
            start_date=start, review_date=review, end_date=end))
    Restriction.objects.bulk_create(records)
    for date_from, date_to in [(today.replace(year=2025, month=1, day=1), today),
                               (today.replace(year=2025, month=3, day=17),
                                today.replace(month=2, day=9)),
                               (today.replace(day=3), today.replace(day=11))]:
        figures = compute(REPORTS["restrictions"], scope=report_scope(world.senior),
                          date_from=date_from, date_to=date_to, by="month")
        expected = {}
        for month in month_starts(date_from, date_to):
            first = max(month, date_from)
            last = min((month + timedelta(days=32)).replace(day=1) - timedelta(days=1),
                       date_to)
            expected[f"{month:%B %Y}"] = [
                sum(1 for r in records if r.kind == kind and r.start_date <= last
                    and min(d for d in (r.review_date, r.end_date) if d) >= first)
                for kind in (Kind.RESTRICTION, Kind.ADJUSTMENT)]
        assert rows(figures) == expected, (date_from, date_to)


@pytest.mark.django_db
def test_team_names_are_escaped_in_chart_table_and_filter(world, client_for, frozen):
    world.manager.first_name = '<script>alert("x")</script>'
    world.manager.save()
    contacts(world, 2, world.caseworker, behaviour="difficult")
    response = client_for(world.senior).get(url("behaviour", by="team"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Manager"
    assert f'data-row="{escaped}"' in html  # the chart's bars
    assert f"<title>{escaped}, Difficult: 2</title>" in html
    assert f'<th scope="row" class="govuk-table__header">{escaped}</th>' in html  # the table
    assert f'<option value="{world.manager.pk}">{escaped}</option>' in html  # the team filter


@pytest.mark.django_db
def test_team_rows_take_their_names_from_the_team_select_and_look_up_the_rest(world, frozen):
    contacts(world, 2, world.caseworker, behaviour="difficult")  # Morgan Manager's team
    contacts(world, 1, world.outsider, behaviour="abusive")  # Olly Other's team
    args = {"scope": report_scope(world.senior), "date_from": NOW.date().replace(day=1),
            "date_to": NOW.date(), "by": "team"}
    known = {world.manager.pk: ("Morgan", "Manager", "manager")}
    with CaptureQueriesContext(connection) as queries:
        figures = compute(REPORTS["behaviour"], team_names=known, **args)
    assert [r.label for r in figures.rows] == ["Morgan Manager", "Olly Other"]
    names = [q["sql"] for q in queries if '"first_name"' in q["sql"]]
    assert len(names) == 1  # only the manager the select did not name
    assert re.search(r'"id" IN \(([\d, ]+)\)', names[0]).group(1) == str(world.other_manager.pk)
    known[world.other_manager.pk] = ("Olly", "Other", "other_manager")
    with CaptureQueriesContext(connection) as queries:
        compute(REPORTS["behaviour"], team_names=known, **args)
    assert not [q for q in queries if '"first_name"' in q["sql"]]


@pytest.mark.django_db
def test_the_team_select_reads_only_what_names_each_manager(world, client_for, frozen):
    """A larger organisation has more teams: each is a name in the select and a row, not a
    whole user row (issue 23). Choosing a team still works, with no query more."""
    contacts(world, 2, world.caseworker, behaviour="difficult")
    client = client_for(world.senior)
    client.get(url("behaviour", by="team"))
    for params in ({"by": "team"}, {"by": "team", "team": world.manager.pk}):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url("behaviour", **params))
        assert response.status_code == 200
        whole_users = [q["sql"] for q in ctx.captured_queries
                       if '"accounts_user"."password"' in q["sql"]]
        assert len(whole_users) == 1, whole_users  # the signed-in user only
        assert "Morgan Manager" in response.content.decode()

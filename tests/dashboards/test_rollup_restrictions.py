"""Restrictions in force from the months they span: kept exact by the trigger (12)."""

import random
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards import rollup
from dashboards.models import REPORTED_STATUSES, RestrictionSpan
from dashboards.reports import REPORTS, compute, report_scope
from dashboards.selectors import department_dashboard
from restrictions import services
from restrictions.constants import ACTIVE, Kind, Status
from restrictions.models import Restriction

NOW = datetime(2026, 6, 15, 12, tzinfo=ZoneInfo("UTC"))
TODAY = NOW.date()
JUNE = date(2026, 6, 1)
STATUSES = [*Status.values, *ACTIVE, *ACTIVE]  # in force more often than not


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def spans() -> dict[tuple, tuple]:
    """The table as {(requester, department, first month, last month): counts}, rows
    counting nothing dropped."""
    return {(r.requested_by_id, r.department_id, r.first_month, r.last_month):
            tuple(getattr(r, c) for c in RestrictionSpan.COUNTS)
            for r in RestrictionSpan.objects.all()
            if any(getattr(r, c) for c in RestrictionSpan.COUNTS)}


def recounted() -> dict[tuple, tuple]:
    rollup.RESTRICTIONS.rebuild()
    return spans()


def record(world, requester=None, *, status=Status.APPROVED, kind=Kind.RESTRICTION,
           start: date = TODAY, review: date | None = None, end: date | None = None,
           department=None) -> Restriction:
    requester = requester or world.caseworker
    decided = status in {*ACTIVE, Status.REFUSED, Status.LIFTED, Status.EXPIRED}
    return Restriction.objects.create(
        customer=world.customer, requested_by=requester,
        department=department or requester.department, grounds="g", kind=kind,
        status=status, terms=[] if kind == Kind.ADJUSTMENT else ["written_only"],
        start_date=start, review_date=review or start + timedelta(days=90), end_date=end,
        decided_by=world.senior if decided else None, decided_at=NOW if decided else None)


def random_records(world, rng: random.Random, n: int) -> list[Restriction]:
    """Starting up to 500 days ago or 40 days ahead; some ended early, some lifted."""
    requesters = [world.caseworker, world.manager, world.outsider, world.caseworker2]
    made = []
    for _ in range(n):
        requester = rng.choice(requesters)
        start = TODAY + timedelta(days=rng.randrange(-500, 40))
        made.append(record(
            world, requester, status=rng.choice(STATUSES), kind=rng.choice(Kind.values),
            start=start, review=start + timedelta(days=rng.randrange(0, 400)),
            end=start + timedelta(days=rng.randrange(0, 200)) if rng.random() < 0.3 else None,
            # Now and then a department other than the requester's own.
            department=rng.choice([world.department, world.other_department])
            if rng.random() < 0.2 else None))
    return made


def test_the_span_counts_are_the_report_series_and_the_dashboards_statuses():
    report = REPORTS["restrictions"]
    assert report.rollup is RestrictionSpan
    assert [s.key for s in report.series] == ["restriction", "adjustment"]
    assert set(REPORTED_STATUSES) == {*ACTIVE, Status.LIFTED, Status.EXPIRED}


@pytest.mark.django_db
def test_records_are_counted_in_the_months_they_start_and_stop_in(world):
    me, dept = world.caseworker.pk, world.department.pk
    record(world, start=date(2026, 4, 10), review=date(2026, 9, 1))
    record(world, status=Status.LIFTED, kind=Kind.ADJUSTMENT, start=date(2026, 3, 1),
           review=date(2026, 9, 1), end=date(2026, 4, 30))  # ended before its review
    record(world, status=Status.RENEWED, start=date(2026, 4, 30), review=date(2026, 4, 30))
    for status in (Status.DRAFT, Status.SUBMITTED, Status.REFUSED, Status.WITHDRAWN):
        record(world, status=status)  # never in force: no row at all
    assert spans() == {
        (me, dept, date(2026, 4, 1), date(2026, 9, 1)): (1, 0, 1, 0),
        (me, dept, date(2026, 3, 1), date(2026, 4, 1)): (0, 1, 0, 0),
        (me, dept, date(2026, 4, 1), date(2026, 4, 1)): (1, 0, 1, 0),
    }
    assert RestrictionSpan.objects.count() == 3
    assert spans() == recounted()


@pytest.mark.django_db
def test_decisions_renewals_lifting_and_expiry_move_the_counts(world, frozen):
    me, dept = world.caseworker.pk, world.department.pk
    asked = record(world, status=Status.SUBMITTED, start=TODAY,
                   review=date(2026, 8, 20))
    assert spans() == {}
    services.restriction_approve(restriction=asked, actor=world.hod)
    assert spans() == {(me, dept, JUNE, date(2026, 8, 1)): (1, 0, 1, 0)}
    services.restriction_start_review(restriction=asked)  # still in force: no change
    assert spans() == {(me, dept, JUNE, date(2026, 8, 1)): (1, 0, 1, 0)}
    services.restriction_renew(restriction=asked, actor=world.hod, reason="Still needed",
                               review_date=date(2026, 11, 3), end_date=date(2026, 10, 9))
    assert spans() == {(me, dept, JUNE, date(2026, 10, 1)): (1, 0, 1, 0)}
    services.restriction_lift(restriction=asked, actor=world.hod, reason="Behaviour better")
    assert spans() == {(me, dept, JUNE, date(2026, 10, 1)): (1, 0, 0, 0)}

    adjustment = record(world, kind=Kind.ADJUSTMENT, start=date(2026, 2, 2),
                        review=date(2026, 6, 10))
    services.restriction_expire(restriction=adjustment, actor=world.hod)
    assert spans()[(me, dept, date(2026, 2, 1), JUNE)] == (0, 1, 0, 0)
    adjustment.grounds = "Only the grounds changed"  # nothing the counts read
    adjustment.save()
    Restriction.objects.filter(pk=adjustment.pk).delete()
    assert spans() == {(me, dept, JUNE, date(2026, 10, 1)): (1, 0, 0, 0)}
    assert spans() == recounted()


@pytest.mark.django_db
def test_the_trigger_agrees_with_a_full_recount_after_random_changes(world):
    rng = random.Random(12)
    random_records(world, rng, 80)
    people = [world.caseworker, world.manager, world.outsider]
    for restriction in Restriction.objects.order_by("?")[:40]:
        change = rng.randrange(5)
        if change == 0:
            restriction.status = rng.choice(STATUSES)
            if restriction.status not in (Status.DRAFT, Status.SUBMITTED, Status.RETURNED,
                                          Status.WITHDRAWN):
                restriction.decided_by = world.senior
        elif change == 1:
            restriction.start_date -= timedelta(days=rng.randrange(60))
        elif change == 2:
            restriction.review_date += timedelta(days=rng.randrange(-10, 120))
            restriction.review_date = max(restriction.review_date, restriction.start_date)
        elif change == 3:
            restriction.end_date = rng.choice(
                [None, restriction.start_date + timedelta(days=rng.randrange(90))])
        else:
            restriction.requested_by = rng.choice(people)
            restriction.department = rng.choice([world.department, world.other_department])
        restriction.save()
    Restriction.objects.filter(status=Status.UNDER_REVIEW).update(status=Status.LIFTED)
    Restriction.objects.filter(kind=Kind.ADJUSTMENT, status=Status.APPROVED).update(
        status=Status.EXPIRED)
    Restriction.objects.filter(pk__in=Restriction.objects.order_by("?").values("pk")[:10]
                               ).delete()
    assert spans() == recounted()
    assert sum(c[0] + c[1] for c in spans().values()) == Restriction.objects.filter(
        status__in=REPORTED_STATUSES).count()


@pytest.mark.django_db
def test_bulk_loads_skip_the_trigger_and_rebuild_counts_restrictions(world):
    with rollup.trigger_disabled():
        record(world, start=JUNE, review=date(2026, 7, 1))
    assert spans() == {}
    rollup.rebuild()
    key = (world.caseworker.pk, world.department.pk, JUNE, date(2026, 7, 1))
    assert spans() == {key: (1, 0, 1, 0)}
    record(world, start=JUNE, review=date(2026, 7, 1))  # the trigger is on again
    assert spans() == {key: (2, 0, 2, 0)}


@pytest.mark.django_db
def test_the_command_checks_and_recounts_the_restriction_counts(world):
    record(world, kind=Kind.ADJUSTMENT, start=JUNE)
    call_command("rebuild_report_counts", "--check", stdout=StringIO())
    RestrictionSpan.objects.update(active_adjustment=5)  # as if someone had edited the table
    with pytest.raises(CommandError, match="restrictions"):
        call_command("rebuild_report_counts", "--check", stdout=StringIO())
    call_command("rebuild_report_counts", stdout=StringIO())
    assert RestrictionSpan.objects.get().active_adjustment == 1


# --- The report (12) ------------------------------------------------------------------------

RANGES = [
    (date(2025, 7, 1), TODAY),  # the default: twelve months to today
    (date(2025, 7, 1), date(2026, 6, 30)),  # whole months, into the future
    (date(2025, 5, 17), date(2026, 2, 3)),  # part-months at both ends
    (date(2026, 3, 1), date(2026, 5, 20)),  # part-month at the end only
    (date(2026, 3, 9), date(2026, 5, 31)),  # part-month at the start only
    (date(2026, 6, 3), date(2026, 6, 9)),  # days inside one month
    (date(2026, 5, 31), date(2026, 5, 31)),  # one day
    (TODAY, TODAY),  # today only: records starting later this month are left out
    (date(2026, 6, 20), date(2026, 7, 25)),  # wholly in the future
    (date(2024, 1, 1), date(2026, 7, 31)),  # longer than the data
]


def _figures(figures) -> list[tuple]:
    return [(r.key, r.label, r.values) for r in figures.rows]


@pytest.mark.django_db
@pytest.mark.parametrize("by", ["month", "team"])
def test_figures_from_the_spans_equal_figures_counted_directly(world, frozen, by):
    made = random_records(world, random.Random(by), 120)
    # Lifted or ended mid-month, and starting later this month.
    record(world, status=Status.LIFTED, start=date(2026, 1, 20), end=date(2026, 3, 12))
    record(world, world.outsider, start=date(2026, 6, 25), kind=Kind.ADJUSTMENT)
    record(world, start=date(2026, 5, 31), review=date(2026, 5, 31))
    assert any(r.start_date > TODAY for r in made)
    counted = 0
    for user in (world.senior, world.hod, world.manager, world.other_manager, world.boss):
        scope = report_scope(user)
        for date_from, date_to in RANGES:
            for extra in ({}, {"team": world.manager}, {"team": world.boss},
                          {"department": world.department},
                          {"department": world.other_department}):
                args = dict(scope=scope, date_from=date_from, date_to=date_to, by=by, **extra)
                fast = compute(REPORTS["restrictions"], use_rollup=True, **args)
                slow = compute(REPORTS["restrictions"], use_rollup=False, **args)
                assert _figures(fast) == _figures(slow), (user, args)
                counted += slow.grand_total
    assert counted > 1000  # the comparisons were not all of empty reports


@pytest.mark.django_db
@pytest.mark.parametrize("by", ["month", "team"])
def test_whole_months_need_no_correction_from_the_records(world, frozen, by):
    record(world, start=date(2026, 2, 10), review=date(2026, 7, 9))
    record(world, start=date(2026, 6, 20), kind=Kind.ADJUSTMENT)  # later this month
    report, scope = REPORTS["restrictions"], report_scope(world.senior)
    with CaptureQueriesContext(connection) as whole:
        figures = compute(report, scope=scope, date_from=date(2025, 7, 1),
                          date_to=date(2026, 6, 30), by=by)
    assert figures.rows[-1].values == [1, 1]  # June, or the one team
    names = 1 if by == "team" else 0  # teams are labelled from one query of their managers
    assert len(whole) == 1 + names
    assert "dashboards_restrictionspan" in whole[0]["sql"]
    assert not any("restrictions_restriction" in q["sql"] for q in whole)
    with CaptureQueriesContext(connection) as part:
        figures = compute(report, scope=scope, date_from=date(2025, 7, 1), date_to=TODAY,
                          by=by)
    assert figures.rows[-1].values == [1, 0]  # the adjustment starts after today
    assert len(part) == 2 + names
    assert "restrictions_restriction" in part[1]["sql"]


# --- The Head of Department's dashboard (7.2, 12) -------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("today", [date(2026, 6, 1), date(2026, 6, 15), date(2026, 6, 30),
                                   date(2026, 2, 28)])
def test_the_department_dashboard_from_the_spans_equals_a_direct_count(
        world, frozen, monkeypatch, today):
    random_records(world, random.Random(today.isoformat()), 150)
    # Around ``today``: starting later in its month, stopped earlier in it, due for review.
    record(world, start=today + timedelta(days=1))
    record(world, start=today - timedelta(days=40), review=today - timedelta(days=1))
    record(world, start=today - timedelta(days=40), review=today + timedelta(days=50),
           end=today - timedelta(days=1), kind=Kind.ADJUSTMENT)
    record(world, start=today - timedelta(days=40), review=today + timedelta(days=3))
    record(world, world.manager, start=today, review=today)
    for requester in (world.manager, world.outsider):
        record(world, requester, status=Status.SUBMITTED)
        record(world, requester, start=today, review=today + timedelta(days=2),
               kind=Kind.ADJUSTMENT)
    for user in (world.hod, world.boss):
        fast = department_dashboard(user, today)
        monkeypatch.setattr(rollup, "available", lambda: False)
        slow = department_dashboard(user, today)
        monkeypatch.undo()
        assert fast == slow, (user, today)
        assert all(fast["totals"].values()), fast["totals"]  # every figure was compared


@pytest.mark.django_db
def test_the_department_dashboard_query_count_is_constant(world, frozen):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            department_dashboard(world.hod)
        return len(ctx.captured_queries)

    record(world, start=TODAY - timedelta(days=3))
    assert count() == 4  # departments, spans, records to correct and waiting, requesters
    random_records(world, random.Random(4), 100)
    assert count() == 4

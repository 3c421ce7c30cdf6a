"""The monthly contact counts behind the reports: kept exact by the trigger (8.2, 12, 14)."""

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contacts.models import Callback, Contact
from dashboards import rollup
from dashboards.models import (
    ROLLUP_TIME_ZONE,
    CallbackMonth,
    CallbackStaffMonth,
    ContactMonth,
    ContactStaffMonth,
)
from dashboards.reports import REPORTS, _split, compute, report_scope
from tests.dashboards.conftest import contacts

NOW = datetime(2026, 6, 15, 12, tzinfo=ZoneInfo("UTC"))
BEHAVIOURS = ["", "difficult", "persistent", "offensive", "abusive"]
CHANNELS = ["phone", "email", "letter"]


def counts() -> dict[tuple, tuple]:
    """The table as {(month, staff, channel): (contacts, difficult, persistent, offensive,
    abusive, terminated)}, empty rows dropped."""
    return {(r.month, r.staff_id, r.channel): tuple(getattr(r, c) for c in ContactMonth.COUNTS)
            for r in ContactMonth.objects.all() if r.contacts}


def recounted() -> dict[tuple, int]:
    rollup.CONTACTS.rebuild()
    return counts()


def all_channels(model, staff: str) -> dict[tuple, tuple]:
    """An all-channels table as {(month, staff): counts}, empty rows dropped."""
    return {(r.month, getattr(r, f"{staff}_id")): tuple(getattr(r, c) for c in model.COUNTS)
            for r in model.objects.all() if any(getattr(r, c) for c in model.COUNTS)}


def added_up(by_channel: dict[tuple, tuple]) -> dict[tuple, tuple]:
    """Per-channel counts {(month, staff, channel): counts} added up over the channels."""
    total: dict[tuple, tuple] = {}
    for (month, staff, _channel), values in by_channel.items():
        before = total.get((month, staff), (0,) * len(values))
        total[(month, staff)] = tuple(a + b for a, b in zip(before, values, strict=True))
    return total


def assert_all_channel_counts_kept(rollup_def, model, staff: str, by_channel: dict) -> None:
    """The all-channels table is the per-channel one added up, and survives a recount."""
    kept = all_channels(model, staff)
    assert kept == added_up(by_channel)
    rollup_def.rebuild()
    assert all_channels(model, staff) == kept


def test_the_trigger_truncates_to_months_in_the_service_time_zone():
    assert settings.TIME_ZONE == ROLLUP_TIME_ZONE


def test_every_series_of_the_contact_reports_is_a_count_column():
    for slug in ("behaviour", "terminated"):
        assert REPORTS[slug].rollup
        for series in REPORTS[slug].series:
            assert series.key in ContactMonth.COUNTS


@pytest.mark.django_db
def test_new_contacts_are_counted_in_their_month_at_once(world):
    # 23:30 UTC on 31 March 2026 is 00:30 on 1 April in London (BST).
    late = datetime(2026, 3, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    contacts(world, 2, world.caseworker, behaviour="abusive", started_at=late)
    contacts(world, 1, world.caseworker, channel="email",
             started_at=datetime(2026, 3, 2, tzinfo=ZoneInfo("UTC")))
    assert counts() == {
        (date(2026, 4, 1), world.caseworker.pk, "phone"): (2, 0, 0, 0, 2, 0),
        (date(2026, 3, 1), world.caseworker.pk, "email"): (1, 0, 0, 0, 0, 0),
    }


@pytest.mark.django_db
def test_reclassifying_ending_moving_and_deleting_contacts_moves_the_counts(world):
    made = contacts(world, 3, world.caseworker, behaviour="difficult", started_at=NOW)
    first, second, third = (Contact.objects.get(pk=c.pk) for c in made)
    first.behaviour, first.terminated = "abusive", True  # reclassified and ended (5, 8.1)
    first.save()
    second.staff = world.outsider  # taken over by someone else
    second.save()
    third.summary = "Only the notes changed"  # nothing the reports count
    third.save()
    Contact.objects.filter(pk=third.pk).delete()  # retention
    june = date(2026, 6, 1)
    assert counts() == {
        (june, world.caseworker.pk, "phone"): (1, 0, 0, 0, 1, 1),
        (june, world.outsider.pk, "phone"): (1, 1, 0, 0, 0, 0),
    }
    assert counts() == recounted()


@pytest.mark.django_db
def test_the_trigger_agrees_with_a_full_recount_after_random_changes(world):
    rng = random.Random(7)
    staff = [world.caseworker, world.outsider, world.caseworker2]
    for _ in range(60):
        contacts(world, 1, rng.choice(staff), behaviour=rng.choice(BEHAVIOURS),
                 channel=rng.choice(CHANNELS),
                 started_at=NOW - timedelta(days=rng.randrange(400), minutes=rng.randrange(999)))
    for contact in Contact.objects.order_by("?")[:30]:
        contact.behaviour = rng.choice(BEHAVIOURS)
        contact.terminated = rng.random() < 0.3
        contact.started_at -= timedelta(days=rng.randrange(40))
        contact.save()
    Contact.objects.filter(pk__in=Contact.objects.order_by("?").values("pk")[:10]).delete()
    Contact.objects.filter(channel="letter").update(channel="email")
    assert counts() == recounted()
    assert sum(row[0] for row in counts().values()) == Contact.objects.count()
    assert_all_channel_counts_kept(rollup.CONTACTS_ALL_CHANNELS, ContactStaffMonth, "staff",
                                   counts())


@pytest.mark.django_db
def test_bulk_loads_skip_the_trigger_and_rebuild_after(world):
    with rollup.trigger_disabled():
        contacts(world, 5, world.caseworker, behaviour="persistent", started_at=NOW)
    assert counts() == {}
    assert ContactStaffMonth.objects.count() == 0
    assert rollup.rebuild() == 2  # one row of contacts, and its all-channels row
    assert counts() == {(date(2026, 6, 1), world.caseworker.pk, "phone"): (5, 0, 5, 0, 0, 0)}
    contacts(world, 1, world.caseworker, behaviour="persistent", started_at=NOW)  # on again
    assert counts() == {(date(2026, 6, 1), world.caseworker.pk, "phone"): (6, 0, 6, 0, 0, 0)}


def test_a_range_splits_into_whole_months_and_part_months():
    today = date(2026, 6, 15)
    assert _split(date(2026, 1, 1), today, today) == (
        [date(2026, m, 1) for m in range(1, 7)], [])
    assert _split(date(2026, 1, 10), date(2026, 3, 20), today) == (
        [date(2026, 2, 1)], [(date(2026, 1, 10), date(2026, 1, 31)),
                             (date(2026, 3, 1), date(2026, 3, 20))])
    assert _split(date(2026, 6, 3), date(2026, 6, 9), today) == (
        [], [(date(2026, 6, 3), date(2026, 6, 9))])
    # A range that runs past today: this month and later ones are whole (nothing is counted
    # after today but callbacks, which correct the months not over yet).
    assert _split(date(2026, 5, 1), date(2026, 7, 10), today) == (
        [date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1)], [])


RANGES = [
    (date(2025, 7, 1), date(2026, 6, 15)),  # the default: twelve whole months to today
    (date(2025, 5, 17), date(2026, 2, 3)),  # part-months at both ends
    (date(2026, 2, 1), date(2026, 2, 28)),  # one whole month
    (date(2026, 6, 2), date(2026, 6, 14)),  # days within this month
    (date(2024, 1, 1), date(2026, 6, 15)),  # longer than the data
]


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["behaviour", "terminated"])
@pytest.mark.parametrize("by", ["month", "team", "channel"])
def test_figures_from_the_counts_equal_figures_counted_directly(world, slug, by):
    rng = random.Random(slug + by)
    staff = [world.caseworker, world.outsider, world.caseworker2, world.manager]
    with time_machine.travel(NOW, tick=False):
        for _ in range(150):
            behaviour = rng.choice(BEHAVIOURS)
            contacts(world, 1, rng.choice(staff), behaviour=behaviour,
                     channel=rng.choice(CHANNELS),
                     terminated=bool(behaviour) and rng.random() < 0.4,
                     started_at=NOW - timedelta(days=rng.randrange(500),
                                                minutes=rng.randrange(1440)))
        for user in (world.senior, world.hod, world.manager, world.other_manager):
            scope = report_scope(user)
            for date_from, date_to in RANGES:
                for extra in ({}, {"channel": "email"}, {"team": world.manager},
                              {"department": world.department}):
                    args = dict(scope=scope, date_from=date_from, date_to=date_to, by=by,
                                **extra)
                    fast = compute(REPORTS[slug], use_rollup=True, **args)
                    slow = compute(REPORTS[slug], use_rollup=False, **args)
                    assert [(r.key, r.label, r.values) for r in fast.rows] == \
                           [(r.key, r.label, r.values) for r in slow.rows], (user, args)


@pytest.mark.django_db
def test_whole_months_take_one_query_and_part_months_one_more(world):
    with time_machine.travel(NOW, tick=False):
        contacts(world, 3, world.caseworker, behaviour="difficult",
                 started_at=timezone.now() - timedelta(days=40))
        scope = report_scope(world.senior)
        with CaptureQueriesContext(connection) as whole:
            figures = compute(REPORTS["behaviour"], scope=scope, date_from=date(2025, 7, 1),
                              date_to=date(2026, 6, 15), by="month")
        assert figures.totals == [3, 0, 0, 0]
        assert len(whole) == 1
        assert "dashboards_contactstaffmonth" in whole[0]["sql"]  # no channel: all channels
        with CaptureQueriesContext(connection) as email:
            compute(REPORTS["behaviour"], scope=scope, date_from=date(2025, 7, 1),
                    date_to=date(2026, 6, 15), by="month", channel="email")
        assert len(email) == 1
        assert '"dashboards_contactmonth"' in email[0]["sql"]
        with CaptureQueriesContext(connection) as part:
            compute(REPORTS["behaviour"], scope=scope, date_from=date(2025, 7, 9),
                    date_to=date(2026, 6, 15), by="month")
        assert len(part) == 2
        assert "contacts_contact" in part[1]["sql"]


def callback_counts() -> dict[tuple, tuple]:
    return {(r.month, r.assigned_to_id, r.channel): tuple(getattr(r, c)
                                                          for c in CallbackMonth.COUNTS)
            for r in CallbackMonth.objects.all() if r.callbacks}


def random_callbacks(world, rng, n: int) -> None:
    staff = [world.caseworker, world.outsider, world.caseworker2, world.manager]
    made = []
    for _ in range(n):
        made += contacts(world, 1, rng.choice(staff), channel=rng.choice(CHANNELS),
                         started_at=NOW - timedelta(days=rng.randrange(400)))
    callbacks = []
    for contact in made:
        due = contact.started_at + timedelta(hours=24)
        done = rng.random() < 0.7 and due < NOW
        callbacks.append(Callback(
            contact=contact, assigned_to=rng.choice(staff), arranged_by=contact.staff,
            due_at=due, status="done" if done else "arranged",
            done_at=due + timedelta(hours=rng.randrange(-20, 30)) if done else None))
    Callback.objects.bulk_create(callbacks)


@pytest.mark.django_db
def test_callback_counts_follow_callbacks_as_they_are_made_moved_and_deleted(world):
    rng = random.Random(3)
    random_callbacks(world, rng, 50)
    for callback in Callback.objects.order_by("?")[:25]:
        if callback.status == "arranged":
            callback.status, callback.done_at = "done", callback.due_at + timedelta(hours=2)
        else:
            callback.due_at -= timedelta(days=rng.randrange(1, 60))
        callback.assigned_to = world.outsider if rng.random() < 0.3 else callback.assigned_to
        callback.save()
    Callback.objects.filter(pk__in=Callback.objects.order_by("?").values("pk")[:5]).delete()
    Contact.objects.filter(pk__in=Contact.objects.order_by("?").values("pk")[:5]).delete()
    kept = callback_counts()
    rollup.CALLBACKS.rebuild()
    assert kept == callback_counts()
    assert sum(row[0] for row in kept.values()) == Callback.objects.count()
    assert_all_channel_counts_kept(rollup.CALLBACKS_ALL_CHANNELS, CallbackStaffMonth,
                                   "assigned_to", kept)


# Callbacks can be due after today, and whether one is overdue depends on the time: ranges
# that end today, later this month, or in a month to come.
CALLBACK_RANGES = [*RANGES,
                   (date(2026, 6, 1), date(2026, 6, 20)),  # this month, past today
                   (date(2026, 4, 1), date(2026, 7, 31)),  # into next month, whole
                   (date(2026, 5, 1), date(2026, 7, 3)),  # into next month, part
                   (date(2026, 6, 16), date(2026, 6, 30))]  # only days to come


def callbacks_due_later(world, rng) -> None:
    """Callbacks due after NOW: some already made (early), some still to make."""
    for contact in contacts(world, 12, world.caseworker, channel="email", started_at=NOW):
        due = NOW + timedelta(days=rng.randrange(1, 40), hours=rng.randrange(24))
        done = rng.random() < 0.5
        Callback.objects.create(
            contact=contact, assigned_to=rng.choice([world.caseworker, world.outsider]),
            arranged_by=contact.staff, due_at=due, status="done" if done else "arranged",
            done_at=NOW - timedelta(hours=1) if done else None)


@pytest.mark.django_db
@pytest.mark.parametrize("by", ["month", "team", "channel"])
def test_callback_figures_from_the_counts_equal_figures_counted_directly(world, by):
    with time_machine.travel(NOW, tick=False):
        random_callbacks(world, random.Random(by), 120)
        callbacks_due_later(world, random.Random(by + "later"))
        for user in (world.senior, world.hod, world.manager):
            for date_from, date_to in CALLBACK_RANGES:
                for extra in ({}, {"channel": "email"}, {"team": world.manager}):
                    args = dict(scope=report_scope(user), date_from=date_from,
                                date_to=date_to, by=by, **extra)
                    fast = compute(REPORTS["callbacks"], use_rollup=True, **args)
                    slow = compute(REPORTS["callbacks"], use_rollup=False, **args)
                    assert [(r.key, r.label, r.values) for r in fast.rows] == \
                           [(r.key, r.label, r.values) for r in slow.rows], (user, args)


@pytest.mark.django_db
def test_the_command_checks_and_recounts_the_kept_counts(world):
    from io import StringIO

    from django.core.management import CommandError, call_command

    contacts(world, 4, world.caseworker, behaviour="difficult", started_at=NOW)
    out = StringIO()
    call_command("rebuild_report_counts", "--check", stdout=out)
    assert "match" in out.getvalue()
    ContactMonth.objects.update(difficult=0)  # as if someone had edited the table
    with pytest.raises(CommandError, match="differ"):
        call_command("rebuild_report_counts", "--check", stdout=StringIO())
    assert ContactMonth.objects.get().difficult == 0  # --check changes nothing
    call_command("rebuild_report_counts", stdout=out)
    assert ContactMonth.objects.get().difficult == 4
    call_command("rebuild_report_counts", "--check", stdout=out)

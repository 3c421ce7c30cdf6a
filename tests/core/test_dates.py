"""core.dates: working days skip weekends and the region's bank holidays; calendar months."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from core import dates

D = dt.date


@pytest.mark.parametrize(("day", "name"), [
    (D(2026, 12, 25), "Christmas Day"),
    (D(2026, 12, 28), "Boxing Day (observed)"),  # 26th is a Saturday: the Monday instead
    (D(2027, 3, 29), "Easter Monday"),
    (D(2027, 3, 26), "Good Friday"),
    (D(2030, 8, 26), "Late Summer Bank Holiday"),  # years past any hand-typed list
    (D(2040, 12, 25), "Christmas Day"),
])
def test_england_and_wales_bank_holidays_are_not_working_days(day, name):
    assert dates.bank_holiday_name(day, in_region="ENG") == name
    assert not dates.is_working_day(day, in_region="ENG")
    assert not dates.is_working_day(day, in_region="WLS")


def test_christmas_skipped_when_counting():
    # Thursday 24 December 2026: Friday 25th Christmas, Monday 28th Boxing Day (observed).
    assert dates.add_working_days(D(2026, 12, 24), 1, in_region="ENG") == D(2026, 12, 29)
    # Easter 2027: Thursday 25 March + 1 working day skips Good Friday and Easter Monday.
    assert dates.add_working_days(D(2027, 3, 25), 1, in_region="ENG") == D(2027, 3, 30)


def test_scotland_has_st_andrews_day_and_no_easter_monday():
    st_andrews = D(2027, 11, 30)  # a Tuesday
    assert not dates.is_working_day(st_andrews, in_region="SCT")
    assert dates.is_working_day(st_andrews, in_region="ENG")
    assert dates.is_working_day(D(2027, 3, 29), in_region="SCT")  # Easter Monday: at work
    assert dates.add_working_days(D(2027, 11, 29), 1, in_region="SCT") == D(2027, 12, 1)
    assert dates.add_working_days(D(2027, 11, 29), 1, in_region="ENG") == D(2027, 11, 30)


def test_northern_ireland_has_st_patricks_day():
    assert not dates.is_working_day(D(2027, 3, 17), in_region="NIR")
    assert dates.is_working_day(D(2027, 3, 17), in_region="ENG")


def test_the_region_comes_from_the_setting():
    st_andrews = D(2027, 11, 30)
    with override_settings(BANK_HOLIDAY_REGION="SCT"):
        assert not dates.is_working_day(st_andrews)
        assert dates.add_working_days(D(2027, 11, 29), 1) == D(2027, 12, 1)
    with override_settings(BANK_HOLIDAY_REGION="ENG"):
        assert dates.is_working_day(st_andrews)
    with override_settings(BANK_HOLIDAY_REGION="Scotland"), pytest.raises(ImproperlyConfigured):
        dates.is_working_day(st_andrews)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2027, 1, 31), 1, D(2027, 2, 28)),
    (D(2028, 1, 31), 1, D(2028, 2, 29)),   # leap year
    (D(2027, 3, 31), 1, D(2027, 4, 30)),
    (D(2027, 3, 31), -1, D(2027, 2, 28)),
    (D(2027, 8, 31), 6, D(2028, 2, 29)),
    (D(2027, 12, 15), 1, D(2028, 1, 15)),  # over the year end
    (D(2027, 1, 31), 12, D(2028, 1, 31)),
])
def test_month_end_arithmetic(day, months, expected):
    assert dates.add_months(day, months) == expected


def test_working_days_from_today_is_the_end_of_that_working_day(settings):
    import time_machine

    with time_machine.travel(dt.datetime(2026, 12, 24, 10, 0, tzinfo=dt.UTC), tick=False):
        due = dates.working_days_from_today(2)
    local = due.astimezone(dt.UTC)
    assert local.date() == D(2026, 12, 30)  # skips Christmas and Boxing Day (observed)
    assert (local.hour, local.minute) == (17, 0)  # December: London is on UTC


def test_next_working_day_keeps_a_working_day():
    assert dates.next_working_day(D(2027, 3, 25), in_region="ENG") == D(2027, 3, 25)
    assert dates.next_working_day(D(2027, 3, 26), in_region="ENG") == D(2027, 3, 30)


days = st.dates(min_value=D(2020, 1, 1), max_value=D(2045, 12, 31))
regions = st.sampled_from(sorted(dates.REGIONS))


@given(start=days, n=st.integers(min_value=0, max_value=70), region=regions)
def test_adding_working_days_lands_on_a_working_day_n_working_days_on(start, n, region):
    result = dates.add_working_days(start, n, in_region=region)
    if n:
        assert dates.is_working_day(result, in_region=region)
        assert result > start
        # The day before the result is fewer than n working days on: the first such day.
        assert dates.working_days_between(start, result - dt.timedelta(days=1),
                                          in_region=region) == n - 1
    else:
        assert result == start
    assert dates.working_days_between(start, result, in_region=region) == n
    # Going back n working days from a working-day result returns to the last working
    # day on or before the start.
    if n:
        back = dates.add_working_days(result, -n, in_region=region)
        assert back <= start
        assert dates.working_days_between(back, start, in_region=region) == 0


@given(start=days, n=st.integers(min_value=0, max_value=40),
       m=st.integers(min_value=0, max_value=40), region=regions)
def test_adding_working_days_is_monotonic(start, n, m, region):
    a = dates.add_working_days(start, n, in_region=region)
    b = dates.add_working_days(start, n + m, in_region=region)
    assert a <= b
    assert (a == b) == (m == 0)
    # and adding in two steps is the same as adding at once
    assert dates.add_working_days(a, m, in_region=region) == b


@given(start=days, later=st.integers(min_value=0, max_value=20), n=st.integers(0, 30),
       region=regions)
def test_a_later_start_never_gives_an_earlier_deadline(start, later, n, region):
    assert (dates.add_working_days(start, n, in_region=region)
            <= dates.add_working_days(start + dt.timedelta(days=later), n, in_region=region))


@given(day=days, months=st.integers(min_value=-24, max_value=24))
def test_add_months_keeps_the_day_or_the_month_end(day, months):
    result = dates.add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or (result.day < day.day
                                     and (result + dt.timedelta(days=1)).day == 1)


# Every deadline counts with the same calendar (one module, no copies).

def test_the_log_draft_reminder_skips_bank_holidays():
    from callogs.services import draft_reminder_due

    christmas_eve = dt.datetime(2026, 12, 24, 15, 0, tzinfo=dt.UTC)
    due = draft_reminder_due(christmas_eve).astimezone(dt.UTC)
    assert (due.date(), due.hour) == (D(2026, 12, 29), 9)


def test_the_appeal_window_skips_the_regions_bank_holidays():
    from types import SimpleNamespace

    from restrictions.services_followup import appeal_deadline

    letter = SimpleNamespace(letter_sent_on=D(2027, 11, 1))  # a Monday
    with override_settings(BANK_HOLIDAY_REGION="ENG"):
        assert appeal_deadline(letter) == D(2027, 11, 29)
    with override_settings(BANK_HOLIDAY_REGION="SCT"):  # St Andrew's Day, Tuesday 30th
        assert appeal_deadline(letter) == D(2027, 11, 29)
        assert appeal_deadline(SimpleNamespace(letter_sent_on=D(2027, 11, 2))) == D(2027, 12, 1)
    with override_settings(BANK_HOLIDAY_REGION="ENG"):
        assert appeal_deadline(SimpleNamespace(letter_sent_on=D(2027, 11, 2))) == D(2027, 11, 30)


def test_a_subject_access_deadline_on_st_andrews_day_moves_in_scotland_only():
    from privacy.models import sar_deadline

    with override_settings(BANK_HOLIDAY_REGION="SCT"):
        assert sar_deadline(D(2027, 10, 30)) == D(2027, 12, 1)
    with override_settings(BANK_HOLIDAY_REGION="ENG"):
        assert sar_deadline(D(2027, 10, 30)) == D(2027, 11, 30)


def test_a_welfare_follow_up_is_due_two_working_days_on_skipping_christmas(make_user):
    import time_machine

    from accounts.constants import Role
    from tests.callogs.factories import TerminatedContactFactory
    from welfare.constants import FollowUpReason
    from welfare.services import welfare_follow_up_schedule

    manager = make_user(Role.LINE_MANAGER)
    contact = TerminatedContactFactory(staff=make_user(Role.CASEWORKER, line_manager=manager))
    with time_machine.travel(dt.datetime(2026, 12, 24, 10, 0, tzinfo=dt.UTC), tick=False):
        follow_up = welfare_follow_up_schedule(
            staff=contact.staff, contact=contact, reason=FollowUpReason.TERMINATION,
            actor=contact.staff)
    assert follow_up.due_at.astimezone(dt.UTC) == dt.datetime(2026, 12, 30, 17, 0, tzinfo=dt.UTC)

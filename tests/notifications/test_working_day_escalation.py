"""Escalation delays counted in working days (issue 17): a delay of "a working day" or "5
working days" skips weekends and bank holidays (``core.dates``), not calendar days.

Dates are fixed calendar days (a Friday, Christmas 2026), never the time the suite runs:
2026-12-04 is a Friday; 2026-12-25 (Friday) and 2026-12-28 (Monday, the substitute for
Boxing Day) are bank holidays in England.
"""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from notifications import kinds
from notifications.models import DueItem
from notifications.services import overdue_unescalated, sweep
from tests.accounts.factories import UserFactory
from tests.notifications.factories import SentDueItemFactory

pytestmark = pytest.mark.django_db

ONE_DAY = kinds.register(kinds.Kind(
    name="test_one_working_day", label="Due in a working day", paragraph="8.1",
    escalate_after=kinds.WorkingDays(1)))


def at(y, m, d, hour, minute=0):
    return timezone.make_aware(datetime(y, m, d, hour, minute))


@pytest.mark.parametrize(("due", "escalates"), [
    (at(2026, 12, 4, 10), at(2026, 12, 7, 10)),     # Friday -> Monday
    (at(2026, 12, 5, 11), at(2026, 12, 7, 11)),     # Saturday -> Monday
    (at(2026, 12, 24, 16), at(2026, 12, 29, 16)),   # before Christmas -> Tuesday 29th
    (at(2026, 12, 1, 9, 30), at(2026, 12, 2, 9, 30)),  # an ordinary Tuesday -> Wednesday
])
def test_one_working_day_after(due, escalates):
    assert kinds.WorkingDays(1).after(due) == escalates


def test_five_working_days_before_christmas_skip_both_bank_holidays():
    # A log given on Friday 18 December: 21, 22, 23, 24, (25, 28 bank holidays) 29.
    assert kinds.WorkingDays(5).after(at(2026, 12, 18, 10)) == at(2026, 12, 29, 10)


def _item(due_at, kind=ONE_DAY.name):
    manager = UserFactory()
    return SentDueItemFactory(kind=kind, due_at=due_at,
                              recipient=UserFactory(line_manager=manager))


@pytest.mark.parametrize(("due", "not_yet", "overdue"), [
    # Friday: not over the weekend, nor early on Monday; at Monday's same time
    (at(2026, 12, 4, 10), [at(2026, 12, 5, 12), at(2026, 12, 6, 23), at(2026, 12, 7, 9, 59)],
     [at(2026, 12, 7, 10), at(2026, 12, 8, 8)]),
    # Thursday before Christmas: not on Christmas Day, the weekend or the substitute day
    (at(2026, 12, 24, 16), [at(2026, 12, 25, 17), at(2026, 12, 28, 17), at(2026, 12, 29, 15)],
     [at(2026, 12, 29, 16, 1), at(2026, 12, 30, 9)]),
])
def test_the_sweep_escalates_only_once_the_working_day_has_passed(due, not_yet, overdue):
    item = _item(due)
    for now in not_yet:
        assert not overdue_unescalated(now).filter(pk=item.pk).exists(), now
    for now in overdue:
        assert overdue_unescalated(now).filter(pk=item.pk).exists(), now
    sweep(now=not_yet[-1])
    item.refresh_from_db()
    assert item.escalated_at is None
    sweep(now=overdue[0])
    item.refresh_from_db()
    assert item.escalated_to == item.recipient.line_manager


def test_an_item_due_on_a_weekend_day_is_overdue_with_the_days_before_it():
    # Saturday 11:00 and Friday 10:00 both escalate on Monday, each at its own time.
    friday, saturday = _item(at(2026, 12, 4, 10)), _item(at(2026, 12, 5, 11))
    overdue = set(overdue_unescalated(at(2026, 12, 7, 10, 30)).values_list("pk", flat=True))
    assert friday.pk in overdue
    assert saturday.pk not in overdue


@pytest.mark.parametrize(("name", "days"), [
    ("calllog_submitted", 5),        # 8.2: the review of a log given to the line manager
    ("calllog_draft", 1),            # 8.1: a draft reminded the next working day
    ("welfare_follow_up_due", 1),    # 8.2, 14.2: a follow-up due by a working day
    ("restriction_decision_needed", 5),  # 7.2, 12.1: the Head of Department's decision
    ("restriction_review_due", 5),   # 12: a working week
])
def test_the_day_long_delays_are_working_days(name, days):
    assert kinds.get(name).escalate_after == kinds.WorkingDays(days)


def test_a_log_given_on_friday_before_christmas_is_not_escalated_in_five_calendar_days():
    item = _item(at(2026, 12, 18, 10), kind="calllog_submitted")
    calendar = at(2026, 12, 18, 10) + timedelta(days=5, minutes=1)  # Wednesday 23rd
    assert not overdue_unescalated(calendar).filter(pk=item.pk).exists()
    assert overdue_unescalated(at(2026, 12, 29, 10)).filter(pk=item.pk).exists()
    assert DueItem.objects.filter(pk=item.pk, escalated_at__isnull=True).exists()

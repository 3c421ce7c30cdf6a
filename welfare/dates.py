"""Working-day arithmetic for welfare follow-ups (8.2, 14.2)."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

# A follow-up is due by the end of the working day it falls on.
END_OF_WORKING_DAY = time(17, 0)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days (Monday to Friday) after ``start``."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def working_days_from_now(days: int) -> datetime:
    """The end of the working day ``days`` working days from today, as an aware datetime."""
    due = add_working_days(timezone.localdate(), days)
    return timezone.make_aware(datetime.combine(due, END_OF_WORKING_DAY))

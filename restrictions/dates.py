"""Date arithmetic for review dates (months) and the appeal window (working days)."""

import calendar
from datetime import date, timedelta

from django.conf import settings

from restrictions.constants import Kind


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_working_days(day: date, count: int) -> date:
    """``day`` plus ``count`` working days (Monday to Friday; bank holidays not known here)."""
    result = day
    while count > 0:
        result += timedelta(days=1)
        if result.weekday() < 5:
            count -= 1
    return result


def latest_review_date(kind: str, start: date) -> date:
    """The latest review date allowed for a request of ``kind`` starting on ``start``."""
    months = settings.RESTRICTIONS_MAX_REVIEW_MONTHS[kind]
    return add_months(start, months)


def default_review_date(kind: str, terms: list[str], start: date) -> date:
    """The review date by kind (settings): the shortest period among the terms chosen."""
    periods = settings.RESTRICTIONS_DEFAULT_REVIEW_MONTHS
    if kind == Kind.ADJUSTMENT:
        months = periods["adjustment"]
    else:
        months = min((periods[t] for t in terms if t in periods),
                     default=settings.RESTRICTIONS_MAX_REVIEW_MONTHS[kind])
    return min(add_months(start, months), latest_review_date(kind, start))

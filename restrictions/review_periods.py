"""Review dates by kind and terms (12): the longest allowed and the default, in calendar
months (``core.dates.add_months``)."""

from datetime import date

from django.conf import settings

from core.dates import add_months
from restrictions.constants import Kind


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

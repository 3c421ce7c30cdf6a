"""Dates for every deadline in the service: one calendar of working days, one month rule.

A working day is Monday to Friday and not a bank holiday in the body's part of the UK
(``settings.BANK_HOLIDAY_REGION``: ``ENG`` England, ``WLS`` Wales, ``SCT`` Scotland,
``NIR`` Northern Ireland). Bank holidays come from the ``holidays`` library (every year,
substitute days included), not a hand-typed list. Months are calendar months
(``dateutil.relativedelta``): 31 January plus one month is 28 or 29 February.

Used by: the appeal window (20 working days from the letter's date, 7.2/12), welfare
follow-ups (8.2, 14.2), the terminated-call log's draft reminder (8.1), review dates (12)
and subject access deadlines (UK GDPR Art. 12(3)).
"""

import datetime as dt
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

# The UK's subdivisions as the holidays library names them (Wales keeps England's days).
REGIONS = {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}

# A deadline counted in working days is due by the end of its last working day.
END_OF_WORKING_DAY = dt.time(17, 0)


def region() -> str:
    """The configured region; an unknown value is a configuration error, not a silent ENG."""
    value = getattr(settings, "BANK_HOLIDAY_REGION", "ENG")
    if value not in REGIONS:
        raise ImproperlyConfigured(
            f"BANK_HOLIDAY_REGION must be one of {', '.join(REGIONS)}, not {value!r}")
    return value


@lru_cache(maxsize=len(REGIONS))
def _calendar(subdivision: str) -> holidays.HolidayBase:
    # expand=True (the default): a year is filled in the first time a date in it is asked.
    return holidays.country_holidays("GB", subdiv=subdivision)


def bank_holiday_name(day: dt.date, *, in_region: str | None = None) -> str | None:
    """The bank holiday's name on ``day`` (``None`` when it is not one)."""
    return _calendar(in_region or region()).get(day)


def is_working_day(day: dt.date, *, in_region: str | None = None) -> bool:
    """Monday to Friday and not a bank holiday."""
    return day.weekday() < 5 and day not in _calendar(in_region or region())


def next_working_day(day: dt.date, *, in_region: str | None = None) -> dt.date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day, in_region=in_region):
        day += dt.timedelta(days=1)
    return day


def add_working_days(day: dt.date, count: int, *, in_region: str | None = None) -> dt.date:
    """The ``count``-th working day after ``day`` (before it when ``count`` is negative).

    ``day`` itself is not counted, whether or not it is a working day: "within 20 working
    days of this letter" dated Friday starts counting on Monday.
    """
    step = dt.timedelta(days=1 if count >= 0 else -1)
    remaining = abs(count)
    while remaining:
        day += step
        if is_working_day(day, in_region=in_region):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, *,
                         in_region: str | None = None) -> int:
    """How many working days fall after ``start`` up to and including ``end`` (0 if
    ``end`` is not after ``start``): the inverse of ``add_working_days``."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day, in_region=in_region)
    return count


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, the last day of a shorter month when it has
    no such day (31 January + 1 month = 28/29 February; 31 March - 1 month = 28/29 Feb)."""
    return day + relativedelta(months=months)


def end_of_working_day(day: dt.date) -> dt.datetime:
    """The end of the working day on ``day`` (17:00 local time), as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, END_OF_WORKING_DAY))


def working_days_from_today(count: int) -> dt.datetime:
    """The end of the working day ``count`` working days from today (local time)."""
    return end_of_working_day(add_working_days(timezone.localdate(), count))

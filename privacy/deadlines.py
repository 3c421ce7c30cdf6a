"""Statutory deadline arithmetic for subject access requests (UK GDPR Art. 12(3)).

One calendar month from the day of receipt: the same day number in the next month, or the
last day of that month when it has no such day (received 31 January -> 28/29 February).
When the date falls on a weekend or a bank holiday, the deadline is the next working day.
The extension (Art. 12(3)) adds two further months, counted the same way from receipt.
"""

import calendar
import datetime as dt

from django.conf import settings


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the last day of the month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day.isoformat() not in settings.PRIVACY_BANK_HOLIDAYS


def next_working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def sar_deadline(received_on: dt.date, *, extended: bool = False) -> dt.date:
    """The date by which the response is due."""
    return next_working_day(add_months(received_on, 3 if extended else 1))

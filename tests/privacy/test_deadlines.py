"""Subject access deadlines: one calendar month, the month-end rule, working days, extension."""

import datetime as dt

import pytest

from core.dates import add_months
from privacy.models import sar_deadline

D = dt.date


@pytest.mark.parametrize(("received", "months", "expected"), [
    (D(2026, 3, 3), 1, D(2026, 4, 3)),
    (D(2026, 1, 31), 1, D(2026, 2, 28)),     # no 31 February: last day of the month
    (D(2028, 1, 31), 1, D(2028, 2, 29)),     # leap year
    (D(2026, 8, 31), 1, D(2026, 9, 30)),
    (D(2026, 12, 15), 1, D(2027, 1, 15)),    # over the year end
    (D(2026, 11, 30), 3, D(2027, 2, 28)),
])
def test_add_months_clamps_to_the_month_end(received, months, expected):
    assert add_months(received, months) == expected


@pytest.mark.parametrize(("received", "expected"), [
    (D(2026, 9, 3), D(2026, 10, 5)),    # 3 October 2026 is a Saturday -> Monday 5th
    (D(2026, 10, 4), D(2026, 11, 4)),   # a Wednesday: no change
    (D(2026, 11, 25), D(2026, 12, 29)),  # 25th Fri, 26 Sat, 27 Sun, 28 substitute holiday
    (D(2026, 3, 3), D(2026, 4, 7)),     # 3 April 2026 Good Friday, 6 Easter Monday
    (D(2026, 1, 31), D(2026, 3, 2)),    # 28 Feb 2026 is a Saturday -> Monday 2 March
])
def test_deadline_moves_to_the_next_working_day(received, expected):
    assert sar_deadline(received) == expected


def test_extension_gives_two_further_months():
    assert sar_deadline(D(2026, 10, 5), extended=True) == D(2027, 1, 5)
    assert sar_deadline(D(2026, 11, 30), extended=True) == D(2027, 3, 1)  # 28 Feb is Sunday

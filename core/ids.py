"""One way to read a record id typed into a query string or a form (issue 19, finding 4).

``str.isdigit()`` accepts "²" and "٣", which ``int()`` then refuses (a 500), and a 20-digit
number overflows PostgreSQL's bigint. Every view that reads an id from ``request.GET`` or
``request.POST`` asks ``parse_id``; forms choosing records use ``IdField`` rules through
``ModelChoiceField`` already (Django checks those), so only hand-read ids come here.
"""

import re

MAX_ID = 2**63 - 1  # PostgreSQL bigint (BigAutoField), also SQLite's INTEGER
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(raw) -> int | None:
    """The positive id in ``raw`` (ASCII digits only, within bigint), or None."""
    if not isinstance(raw, str) or not _ASCII_DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def query_id(request, name: str) -> int | None:
    """``parse_id`` of a GET (or, failing that, POST) parameter."""
    return parse_id(request.GET.get(name) or request.POST.get(name))

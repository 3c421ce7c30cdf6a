"""Logging filters (issue 19, finding 9)."""

import logging
import re

_QUERY = re.compile(r"(\s/[^\s?]*)\?\S*")


class DropQueryStrings(logging.Filter):
    """Remove the query string from request lines (``GET /contacts/?q=Smith HTTP/1.1``):
    search terms are names, phone numbers and email addresses."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.msg = record.getMessage()
            record.args = None
        if isinstance(record.msg, str) and "?" in record.msg:
            record.msg = _QUERY.sub(r"\1", record.msg)
        return True

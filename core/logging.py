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


class RefusalsWithoutTracebacks(logging.Filter):
    """A refused permission (403) is an expected event, not an error: Django's request logger
    would print its whole traceback. Keep the one line (its path holds opaque ids only) and
    keep tracebacks for real errors (issue 25). The refusal itself is audited
    (``core.views.permission_denied``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = record.exc_text = None
        return True

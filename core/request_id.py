"""A request id on every log line, and logs as JSON lines (issue 23).

``RequestIdMiddleware`` takes an incoming ``X-Request-ID`` when it is well formed (8 to 64
letters, digits, ``-``, ``_`` or ``.``: what a load balancer or proxy sends) and otherwise
makes one (a UUID4 hex), keeps it in a context variable for the request and echoes it in the
response's ``X-Request-ID`` header. ``RequestIdFilter`` puts it on every log record
(``request_id``; ``-`` outside a request). ``JsonLinesFormatter`` writes one JSON object per
line: time, level, logger, message, request_id, and the exception's traceback if any. The
message is the one the code logged: the codebase logs opaque ids only
(tests/security/test_no_personal_data_in_logs.py).

Celery tasks carry the id of the request that queued them (core.celery_signals): the
worker's log records have that ``request_id`` and the task's ``task_id``.
"""

import contextvars
import datetime as dt
import json
import logging
import re
import uuid

HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# The Celery task running in this context, if any (core.celery_signals).
task_id: contextvars.ContextVar[str] = contextvars.ContextVar("task_id", default="-")


def is_well_formed(value: str) -> bool:
    return bool(_WELL_FORMED.fullmatch(value))


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        value = incoming if is_well_formed(incoming) else uuid.uuid4().hex
        request.request_id = value
        token = request_id.set(value)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[HEADER] = value
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        if not getattr(record, "task_id", None) and task_id.get() != "-":
            record.task_id = task_id.get()
        return True


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        task_id = getattr(record, "task_id", None)
        if task_id:
            entry["task_id"] = task_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)

"""Celery signal handlers (issue 23), connected when config/celery.py is imported.

- **Request id into tasks.** ``before_task_publish`` copies the current request id
  (``core.request_id``) into the message's headers (``x_request_id``); ``task_prerun`` sets
  it, and the task's id, in the worker's context for the task's run and ``task_postrun``
  restores what was there. So a worker's log lines for a task queued by a request carry
  that request's id, and a task queued by that task carries it on. A task beat queued has
  none (``-``). Only a well-formed id is taken, as from a proxy.
- **Failures counted.** ``task_failure`` increments ``celery_task_failures_total{task}``
  (core.metrics) in the process that ran the task.
- **Worker logs as the web's.** ``setup_logging`` applies Django's ``LOGGING`` (JSON lines
  with the request id in production) instead of Celery's own format, so the worker's
  records pass the same filters (no query strings, the request id).
- **Worker metrics.** With ``CELERY_METRICS_PORT`` set, the worker empties its metrics
  directory when it starts and serves it on that port once ready (core.metrics).

No import of Django or prometheus_client here at import time: config/celery.py imports this
module before Django is set up, and the multiprocess directory must be chosen first.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from celery import signals

from core import request_id as rid

logger = logging.getLogger(__name__)

HEADER = "x_request_id"
_restore: dict[str, tuple] = {}


@signals.before_task_publish.connect(weak=False, dispatch_uid="core.request_id.publish")
def _publish_request_id(headers=None, **kwargs) -> None:
    current = rid.request_id.get()
    if headers is not None and current != "-":
        headers.setdefault(HEADER, current)


def _incoming(request) -> str | None:
    value = getattr(request, HEADER, None) or (getattr(request, "headers", None) or {}).get(
        HEADER)
    return value if isinstance(value, str) and rid.is_well_formed(value) else None


@signals.task_prerun.connect(weak=False, dispatch_uid="core.request_id.prerun")
def _enter_task(task_id=None, task=None, **kwargs) -> None:
    # A task run eagerly inside a request keeps that request's id.
    value = _incoming(task.request) or rid.request_id.get()
    _restore[task_id] = (rid.request_id.set(value), rid.task_id.set(task_id or "-"))


@signals.task_postrun.connect(weak=False, dispatch_uid="core.request_id.postrun")
def _leave_task(task_id=None, **kwargs) -> None:
    tokens = _restore.pop(task_id, None)
    if tokens:
        rid.request_id.reset(tokens[0])
        rid.task_id.reset(tokens[1])


@signals.task_failure.connect(weak=False, dispatch_uid="core.metrics.task_failure")
def _count_failure(sender=None, **kwargs) -> None:
    from core.metrics import TASK_FAILURES

    TASK_FAILURES.labels(task=getattr(sender, "name", None) or "unknown").inc()


@signals.setup_logging.connect(weak=False, dispatch_uid="core.logging.worker")
def _django_logging(**kwargs) -> None:
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@signals.worker_init.connect(weak=False, dispatch_uid="core.metrics.worker_init")
def _empty_metrics_directory(**kwargs) -> None:
    """A restarted worker starts its counts again (its pool's files are from the last run)."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    from django.conf import settings

    if directory and settings.CELERY_METRICS_PORT:
        for path in Path(directory).glob("*.db"):
            path.unlink(missing_ok=True)


@signals.worker_ready.connect(weak=False, dispatch_uid="core.metrics.worker_ready")
def _serve_metrics(**kwargs) -> None:
    from django.conf import settings

    if settings.CELERY_METRICS_PORT:
        from core.metrics import serve_worker_metrics

        serve_worker_metrics(settings.CELERY_METRICS_PORT)

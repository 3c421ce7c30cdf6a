"""Prometheus metrics (issue 23): ``/metrics`` for the scraper only, and what it exports.

Three sources, one page:

- **django-prometheus**: request counts and latency histograms by view name, method and
  status (``PrometheusBeforeMiddleware`` / ``PrometheusAfterMiddleware``), and every
  database query counted and timed (its wrappers of the PostgreSQL and SQLite backends,
  ``config/settings.py``).
- **Celery task failures**: ``celery_task_failures_total{task}``, incremented by the
  ``task_failure`` signal (``core.celery_signals``) in whichever process ran the task.
- **Application gauges**, computed when scraped (``ApplicationCollector``): due items
  overdue by kind and the oldest one's age, the email and webhook outboxes' backlog and
  age, webhook deliveries given up, stalled subject access exports. They are read from
  PostgreSQL, so every web process reports the same figures.

Several processes, one figure (docs/DECISIONS.md, "Metrics across processes"): gunicorn's
workers and the Celery worker's pool processes each count in their own memory, so with
``PROMETHEUS_MULTIPROC_DIR`` set (config/gunicorn.py and config/celery.py set it) every
process writes its samples to files in that directory and a scrape sums them
(prometheus_client's multiprocess mode). The web tier's directory is served here; the
Celery worker serves its own on ``CELERY_METRICS_PORT`` (``serve_worker_metrics``).

Who may read it: only a request bearing ``METRICS_TOKEN`` (``Authorization: Bearer ...``,
compared in constant time). Unset, ``/metrics`` is 404 (denied by default); a wrong or
missing token is 401. A signed-in session, staff or superuser, counts for nothing. Labels
hold view names, methods, statuses, kinds and task names only: never a person, a customer
or anything typed.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import os
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError
from django.db.models import Count, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

logger = logging.getLogger(__name__)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Webhook deliveries given up within this window count as "recently given up": the alert
# fires on any, and clears a day later if nothing else is given up (docs/operations.md).
GIVEN_UP_WINDOW = dt.timedelta(hours=24)

TASK_FAILURES = Counter(
    "celery_task_failures_total",
    "Celery task runs that raised (after any retries the task makes), by task name.",
    ["task"],
)


def token_matches(header: str) -> bool:
    """Whether an ``Authorization`` header carries ``METRICS_TOKEN`` (constant time)."""
    token = settings.METRICS_TOKEN
    scheme, _, given = header.partition(" ")
    if not token or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


class ApplicationCollector:
    """Gauges read from the database at scrape time (one query per family, each indexed)."""

    def collect(self):
        now = timezone.now()
        up = GaugeMetricFamily("contact_app_metrics_up",
                               "1 when the application gauges could be read from the "
                               "database at this scrape, 0 when the query failed.")
        try:
            families = list(self._families(now))
        except DatabaseError:
            logger.exception("metrics: the application gauges could not be read")
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _families(self, now: dt.datetime):
        yield from self._due_items(now)
        yield from self._email_outbox(now)
        yield from self._webhook_outbox(now)
        yield from self._subject_access(now)

    @staticmethod
    def _due_items(now):
        from notifications import kinds
        from notifications.models import DueItem

        overdue = GaugeMetricFamily(
            "contact_due_items_overdue",
            "Due items past their due time and not yet delivered to the inbox, by kind.",
            labels=["kind"])
        oldest = GaugeMetricFamily(
            "contact_due_items_overdue_oldest_seconds",
            "How long the longest-overdue undelivered due item has been due, by kind.",
            labels=["kind"])
        # The sweep's own partial index (dueitem_unsent_due_idx).
        rows = {row["kind"]: row for row in DueItem.objects.filter(
            sent_at__isnull=True, cancelled_at__isnull=True, completed_at__isnull=True,
            due_at__lt=now).order_by().values("kind").annotate(n=Count("id"), first=Min("due_at"))}
        # Every registered kind, so a series exists (at 0) before its first overdue item.
        for name in sorted({k.name for k in kinds.all_kinds()} | set(rows)):
            row = rows.get(name)
            overdue.add_metric([name], row["n"] if row else 0)
            oldest.add_metric([name], (now - row["first"]).total_seconds() if row else 0)
        yield overdue
        yield oldest

    @staticmethod
    def _email_outbox(now):
        from notifications.email_outbox import emails_owed, escalation_emails_owed

        pending = GaugeMetricFamily(
            "contact_email_outbox_pending",
            "Emails owed by inbox deliveries and not yet sent, by stage.", labels=["stage"])
        oldest = GaugeMetricFamily(
            "contact_email_outbox_oldest_seconds",
            "Age of the oldest email still owed, by stage.", labels=["stage"])
        for stage, owed, since in (("reminder", emails_owed(), "sent_at"),
                                   ("escalation", escalation_emails_owed(), "escalated_at")):
            row = owed.order_by().aggregate(n=Count("id"), first=Min(since))
            pending.add_metric([stage], row["n"])
            oldest.add_metric([stage], (now - row["first"]).total_seconds()
                              if row["first"] else 0)
        yield pending
        yield oldest

    @staticmethod
    def _webhook_outbox(now):
        from api.models import WebhookDelivery

        owed = WebhookDelivery.objects.filter(delivered_at__isnull=True,
                                              given_up_at__isnull=True).order_by()
        row = owed.aggregate(n=Count("id"), first=Min("created_at"))
        pending = GaugeMetricFamily("contact_webhook_outbox_pending",
                                    "Webhook deliveries neither delivered nor given up.")
        pending.add_metric([], row["n"])
        oldest = GaugeMetricFamily("contact_webhook_outbox_oldest_seconds",
                                   "Age of the oldest webhook delivery still owed.")
        oldest.add_metric([], (now - row["first"]).total_seconds() if row["first"] else 0)
        given_up = GaugeMetricFamily(
            "contact_webhook_outbox_given_up",
            "Webhook deliveries given up (every attempt failed, or the subscription was "
            "turned off) in the last 24 hours.")
        given_up.add_metric([], WebhookDelivery.objects.filter(
            given_up_at__gte=now - GIVEN_UP_WINDOW).count())
        yield pending
        yield oldest
        yield given_up

    @staticmethod
    def _subject_access(now):
        from privacy.models import SubjectAccessRequest, stalled_export_condition

        stalled = GaugeMetricFamily(
            "contact_sar_exports_stalled",
            "Subject access exports whose worker has been silent for SAR_STALL_MINUTES (the "
            "sweep restarts them every 5 minutes; one that stays here is failing).")
        stalled.add_metric([], SubjectAccessRequest.objects.filter(
            stalled_export_condition(now)).count())
        yield stalled


def _process_registry(directory: str | None) -> CollectorRegistry:
    """This process's metrics, or, in multiprocess mode, every process's of ``directory``."""
    if not directory:
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=directory)
    return registry


def render(*, application: bool = True) -> bytes:
    """The exposition text: the processes' metrics, then (web only) the application gauges."""
    page = generate_latest(_process_registry(os.environ.get(MULTIPROC_ENV)))
    if application:
        gauges = CollectorRegistry(auto_describe=False)
        gauges.register(ApplicationCollector())
        page += generate_latest(gauges)
    return page


def _unauthorised() -> HttpResponse:
    response = HttpResponse("A valid bearer token is required.\n", status=401,
                            content_type="text/plain")
    response["WWW-Authenticate"] = 'Bearer realm="metrics"'
    return response


@login_not_required
@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """``GET /metrics``: 404 unless ``METRICS_TOKEN`` is set; 401 without it; the metrics."""
    if not settings.METRICS_TOKEN:
        raise Http404
    if not token_matches(request.headers.get("Authorization", "")):
        logger.warning("metrics: refused a scrape without the token")
        return _unauthorised()
    return HttpResponse(render(), content_type=CONTENT_TYPE_LATEST)


def worker_metrics_app(environ, start_response):
    """The Celery worker's metrics (WSGI): the same token rule, its pool's processes only
    (the application gauges are the web tier's, so they are not counted twice)."""
    if not settings.METRICS_TOKEN or environ.get("PATH_INFO") != "/metrics":
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"Not found.\n"]
    if not token_matches(environ.get("HTTP_AUTHORIZATION", "")):
        start_response("401 Unauthorized", [("Content-Type", "text/plain"),
                                            ("WWW-Authenticate", 'Bearer realm="metrics"')])
        return [b"A valid bearer token is required.\n"]
    start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST)])
    return [render(application=False)]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        """No access log line per scrape."""


def serve_worker_metrics(port: int, address: str = "0.0.0.0") -> threading.Thread:  # noqa: S104
    """Serve ``worker_metrics_app`` on ``port`` from a daemon thread (the worker's main
    process, config/celery.py). Reachable inside the cluster only; the token still applies."""
    server = make_server(address, port, worker_metrics_app, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="metrics", daemon=True)
    thread.start()
    logger.info("metrics: serving the worker's metrics on port %s", port)
    return thread

"""Signed webhooks through a durable outbox (the email outbox's pattern, notifications/
email_outbox.py).

``event_write`` runs inside the service's transaction and writes one ``WebhookDelivery`` per
subscription that asked for the event: the change and its deliveries commit together or not
at all. After the commit a worker is asked to deliver; if the broker is down, beat's
periodic ``api.deliver_webhooks`` does it, so an outage delays deliveries and loses none.

``deliver_due`` locks a batch of due rows with ``SKIP LOCKED`` (two workers never post the
same row at once), claims each with a conditional UPDATE (the same guard where there are no
row locks), POSTs it, logs the attempt and either marks it delivered or schedules
the next try with exponential back-off. A receiver must treat ``Webhook-Id`` as idempotent:
a crash between its 2xx and our commit sends it again.
"""

import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from api import keys
from api.constants import WEBHOOK_MAX_ATTEMPTS, WEBHOOK_TIMEOUT_SECONDS
from api.models import WebhookAttempt, WebhookDelivery, WebhookSubscription

logger = logging.getLogger(__name__)


def event_write(*, kind: str, data: dict, external_ids: dict | None = None) -> int:
    """Queue ``kind`` with ``data`` (ids and kinds only) for every subscriber; returns how
    many deliveries were written. Call inside the transaction of the change."""
    subscriptions = [s for s in WebhookSubscription.objects.filter(
        active=True, client__revoked_at__isnull=True).only("id", "events", "client_id")
        if kind in s.events]
    if not subscriptions:
        return 0
    event_id = uuid.uuid4()
    now = timezone.now()
    rows = []
    for s in subscriptions:
        extra = {}
        if external_ids and s.client_id in external_ids:
            extra["customer_external_id"] = external_ids[s.client_id]
        payload = {"id": str(event_id), "kind": kind, "occurred_at": now.isoformat(),
                   "data": {**data, **extra}}
        rows.append(WebhookDelivery(subscription=s, event_id=event_id, kind=kind,
                                    payload=payload, created_at=now, next_attempt_at=now))
    WebhookDelivery.objects.bulk_create(rows)
    transaction.on_commit(request_delivery)
    return len(rows)


def request_delivery() -> None:
    from api.tasks import deliver_webhooks
    from notifications.email_outbox import ask_workers

    ask_workers(deliver_webhooks, what="a webhook delivery")


def owed():
    return WebhookDelivery.objects.filter(delivered_at__isnull=True, given_up_at__isnull=True)


def backoff(attempts: int) -> timedelta:
    """Seconds before try ``attempts + 1``: base, 2x, 4x ... capped at an hour."""
    base = settings.API_WEBHOOK_BACKOFF_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    body = body_of(delivery)
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - https, or http to this machine only
        delivery.subscription.url, data=body, method="POST", headers={
            "Content-Type": "application/json", "User-Agent": "contact-handling-webhooks/1",
            "Webhook-Id": str(delivery.event_id), "Webhook-Timestamp": timestamp,
            "Webhook-Signature": keys.signature(delivery.subscription.secret, timestamp, body),
        })
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, type(exc).__name__


def deliver_due(*, batch_size: int = 50, now=None) -> dict[str, int]:
    """Post every due delivery once; returns counts of delivered and failed attempts."""
    delivered = failed = 0
    tried: list = []  # each row at most once a pass, whatever its next attempt time
    while True:
        with transaction.atomic():
            batch = list(owed().filter(next_attempt_at__lte=now or timezone.now())
                         .exclude(pk__in=tried)
                         .select_for_update(skip_locked=True, of=("self",))
                         .select_related("subscription").order_by("next_attempt_at", "pk")
                         [:batch_size])
            if not batch:
                break
            for delivery in batch:
                if not _claim(delivery):
                    continue  # another sweep took it first
                ok = _attempt(delivery)
                delivered, failed = delivered + ok, failed + (not ok)
        tried += [d.pk for d in batch]
    if delivered or failed:
        logger.info("webhooks delivered=%d failed=%d", delivered, failed)
    return {"delivered": delivered, "failed": failed}


def _claim(delivery: WebhookDelivery) -> bool:
    """Take the row for this attempt: a conditional UPDATE, so that where row locks are not
    available (SQLite under ``make run``) two sweeps still never post the same row at once.
    The lease also means a sweep that dies mid-post leaves the row to be tried again."""
    lease = timezone.now() + timedelta(seconds=WEBHOOK_TIMEOUT_SECONDS * 6)
    taken = WebhookDelivery.objects.filter(
        pk=delivery.pk, next_attempt_at=delivery.next_attempt_at,
        delivered_at__isnull=True, given_up_at__isnull=True).update(next_attempt_at=lease)
    return taken == 1


def _attempt(delivery: WebhookDelivery) -> bool:
    started = time.monotonic()
    if not delivery.subscription.active:
        code, error = None, "subscription ended"
    else:
        code, error = _post(delivery)
    WebhookAttempt.objects.create(delivery=delivery, status_code=code, error=error[:100],
                                  duration_ms=int((time.monotonic() - started) * 1000))
    delivery.attempts += 1
    delivery.last_status = code
    fields = ["attempts", "last_status"]
    ok = code is not None and 200 <= code < 300
    if ok:
        delivery.delivered_at = timezone.now()
        fields.append("delivered_at")
    elif delivery.attempts >= WEBHOOK_MAX_ATTEMPTS or not delivery.subscription.active:
        delivery.given_up_at = timezone.now()
        fields.append("given_up_at")
        logger.warning("webhook given up delivery=%s attempts=%d", delivery.pk,
                       delivery.attempts)
    else:
        delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
        fields.append("next_attempt_at")
    delivery.save(update_fields=fields)
    return ok

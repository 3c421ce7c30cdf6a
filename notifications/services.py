"""Schedule, cancel and complete due items. Delivery is the beat sweep's job (``sweep``).

Every reminder is a row first (durable), written in the caller's transaction; nothing
depends on a Celery countdown. For an immediate alert, schedule it with ``due_at=now``:
``schedule`` then asks for a sweep straight after the commit, and the minute sweep is the
safety net if the broker is down at that moment.
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from notifications import kinds
from notifications.models import DueItem


def schedule(
    *,
    kind: str,
    key: str,
    recipient,
    due_at: datetime,
    message: str,
    target: models.Model | None = None,
    link: str = "",
) -> DueItem:
    """Create the due item called ``key`` unless it already exists (idempotent)."""
    kinds.get(kind)  # an unknown kind is a programming error: fail loudly here
    item, created = DueItem.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "recipient": recipient,
            "due_at": due_at,
            "message": message[:300],
            "link": link,
            "target_type": ContentType.objects.get_for_model(target) if target else None,
            "target_id": str(target.pk) if target else "",
        },
    )
    if created and due_at <= timezone.now():
        transaction.on_commit(_request_sweep)
    return item


def cancel(*, key: str) -> int:
    """Stop the item called ``key`` (the work no longer needs doing). Returns rows changed."""
    return DueItem.objects.filter(
        key=key, completed_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=timezone.now())


def complete(*, key: str) -> int:
    """Mark the work behind ``key`` done, so it neither reminds again nor escalates."""
    return DueItem.objects.filter(
        key=key, completed_at__isnull=True, cancelled_at__isnull=True
    ).update(completed_at=timezone.now())


def _request_sweep() -> None:
    """Ask a worker to sweep now; if the broker is down the minute sweep catches up."""
    from notifications.tasks import sweep_due_items

    try:
        sweep_due_items.delay()
    except Exception:
        import logging

        logging.getLogger(__name__).warning("could not queue an immediate sweep; beat will")

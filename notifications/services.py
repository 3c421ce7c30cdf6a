"""Schedule, cancel, complete and deliver due items; mark inbox entries read.

Every reminder is a row first (durable), written in the caller's transaction; nothing
depends on a Celery countdown. For an immediate alert (e.g. an at-risk report, 11.2),
schedule it with ``due_at=now``: ``schedule`` then asks for a sweep straight after the
commit, and the minute sweep is the safety net if the broker is down at that moment.

``sweep`` is the only delivery path. It locks due rows with ``SKIP LOCKED`` so any number of
sweeps can run at once and each item is delivered by exactly one of them. The inbox entry is
protected by a unique constraint, so a repeated delivery cannot duplicate it; an email can
only be repeated if a worker dies after sending and before its transaction commits.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.services import audit_record
from notifications import emails, kinds
from notifications.models import DueItem, InboxEntry

logger = logging.getLogger(__name__)


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
    if timezone.is_naive(due_at):
        raise ValueError("due_at must be an aware datetime")
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
    if created and due_at <= timezone.now() and not _sweep_requested():
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


def _sweep_requested() -> bool:
    """Whether this transaction already asks for a sweep on commit (one is enough).

    Only a request made at this savepoint level or outside it counts: one made inside a
    savepoint that may still roll back would not survive that rollback.
    """
    connection = transaction.get_connection()
    current = set(connection.savepoint_ids)
    return any(callback is _request_sweep and savepoints <= current
               for savepoints, callback, _ in connection.run_on_commit)


def _request_sweep() -> None:
    """Ask a worker to sweep now; if the broker is down the minute sweep catches up."""
    from notifications.tasks import sweep_due_items

    try:
        sweep_due_items.delay()
    except Exception:
        logger.warning("could not queue an immediate sweep; the beat sweep will deliver")


# --- Delivery -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did. ``failed`` items stay pending and are retried by the next sweep."""

    delivered: int = 0
    escalated: int = 0
    failed: int = 0


def due_unsent(now: datetime) -> QuerySet[DueItem]:
    """Open items due by ``now`` and not yet sent (an index scan on ``dueitem_unsent_due_idx``)."""
    return DueItem.objects.filter(
        due_at__lte=now, sent_at__isnull=True,
        completed_at__isnull=True, cancelled_at__isnull=True,
    )


def overdue_unescalated(now: datetime) -> QuerySet[DueItem]:
    """Sent, still open items past their kind's ``escalate_after`` and not yet escalated."""
    per_kind = [
        Q(kind=kind.name, due_at__lte=now - kind.escalate_after)
        for kind in kinds.all_kinds() if kind.escalate_after is not None
    ]
    if not per_kind:
        return DueItem.objects.none()
    return DueItem.objects.filter(
        reduce(or_, per_kind), sent_at__isnull=False, escalated_at__isnull=True,
        completed_at__isnull=True, cancelled_at__isnull=True,
    )


def sweep(
    *, now: datetime | None = None, batch_size: int | None = None, connection=None
) -> SweepResult:
    """Deliver every due item, then escalate every overdue one (run by beat each minute).

    ``connection`` is an email backend connection (default: the configured backend).
    """
    now = now or timezone.now()
    batch_size = batch_size or settings.NOTIFICATIONS_SWEEP_BATCH_SIZE
    mailer = _Mailer(connection or mail.get_connection())
    try:
        delivered, not_delivered = _in_locked_batches(
            due_unsent(now), batch_size, lambda batch: _deliver(batch, mailer))
        escalated, not_escalated = _in_locked_batches(
            overdue_unescalated(now).select_related("recipient__line_manager"), batch_size,
            lambda batch: _escalate(batch, mailer))
    finally:
        mailer.close()
    result = SweepResult(delivered, escalated, not_delivered + not_escalated)
    if result != SweepResult():
        logger.info("sweep delivered=%d escalated=%d failed=%d",
                    result.delivered, result.escalated, result.failed)
    return result


def _in_locked_batches(
    queryset: QuerySet[DueItem], batch_size: int,
    handle: Callable[[list[DueItem]], tuple[int, int]],
) -> tuple[int, int]:
    """Run ``handle`` on locked batches of ``queryset``, one transaction per batch.

    Rows another sweep holds are skipped (``skip_locked``). The cursor on (due_at, id) moves
    past rows left pending by a failed email, so a sweep never loops on them.
    """
    done = failed = 0
    after = Q()
    while True:
        with transaction.atomic():
            batch = list(locked_batch(queryset, after, batch_size))
            if not batch:
                return done, failed
            ok, not_ok = handle(batch)
        done, failed = done + ok, failed + not_ok
        last = batch[-1]
        after = Q(due_at__gte=last.due_at) & ~Q(due_at=last.due_at, id__lte=last.id)


def locked_batch(queryset: QuerySet[DueItem], after: Q, batch_size: int) -> QuerySet[DueItem]:
    """The next ``batch_size`` rows of ``queryset`` after the cursor, locked, skipping locked."""
    return (
        queryset.filter(after)
        .select_related("recipient")
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("due_at", "id")[:batch_size]
    )


def _deliver(batch: list[DueItem], mailer: "_Mailer") -> tuple[int, int]:
    """Inbox entry and email for each item; mark sent the items whose email went."""
    _copy_to_inbox([item.pk for item in batch])
    sent = [item.pk for item in batch if mailer.send(item, item.recipient, escalation=False)]
    DueItem.objects.filter(pk__in=sent).update(sent_at=timezone.now())
    return len(sent), len(batch) - len(sent)


def _copy_to_inbox(item_ids: list[int]) -> None:
    """One statement: an inbox entry per item, unless an earlier attempt already made it.

    INSERT ... SELECT keeps the rows in the database (no model per row in Python); the
    ``inbox_one_per_delivery`` unique constraint makes a repeat a no-op.
    """
    inbox, due = InboxEntry._meta.db_table, DueItem._meta.db_table
    placeholders = ", ".join(["%s"] * len(item_ids))
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {inbox} (recipient_id, text, link, created_at, due_item_id, escalation)"  # noqa: S608
            f" SELECT recipient_id, message, link, %s, id, %s FROM {due}"
            f" WHERE id IN ({placeholders}) ON CONFLICT DO NOTHING",
            [timezone.now(), False, *item_ids],
        )


def _escalate(batch: list[DueItem], mailer: "_Mailer") -> tuple[int, int]:
    """Send each overdue item once to the person its kind escalates to (by default 2.2)."""
    done = 0
    for item in batch:
        manager = kinds.get_or_fallback(item.kind).escalate_to(item)
        if manager is None:
            logger.warning("no one available to escalate item=%s; will retry", item.pk)
            continue
        InboxEntry.objects.get_or_create(
            due_item=item, recipient=manager, escalation=True,
            defaults={"text": f"Overdue for {item.recipient}: {item.message}"[:300],
                      "link": item.link},
        )
        if not mailer.send(item, manager, escalation=True):
            continue
        item.escalated_at, item.escalated_to = timezone.now(), manager
        item.save(update_fields=["escalated_at", "escalated_to"])
        audit_record(
            actor=None, action="dueitem.escalated", target=item,
            changes={"kind": item.kind, "recipient": item.recipient_id,
                     "escalated_to": manager.pk},
        )
        done += 1
    return done, len(batch) - done


class _Mailer:
    """One email connection for the whole sweep.

    A failed message is logged by item id (no addresses: they are personal data) and its
    item stays pending. If the mail server cannot be reached at all, the rest of this sweep
    skips email rather than waiting on it for every item; the next sweep tries again.
    """

    def __init__(self, connection) -> None:
        self.connection = connection
        self.is_open = False
        self.is_down = False

    def send(self, item: DueItem, to_user, *, escalation: bool) -> bool:
        if not to_user.email:
            return True  # nobody to email: the inbox entry is the delivery
        if self.is_down:
            return False
        try:
            if not self.is_open:
                self.connection.open()
                self.is_open = True
            self.connection.send_messages(
                [emails.build(item=item, to_user=to_user, escalation=escalation)])
        except Exception as exc:
            logger.warning("notification email failed item=%s escalation=%s error=%s",
                           item.pk, escalation, type(exc).__name__)
            self.is_down = not self.is_open
            self.close()  # a later message reconnects
            return False
        return True

    def close(self) -> None:
        if self.is_open:
            self.is_open = False
            try:
                self.connection.close()
            except Exception:
                logger.warning("could not close the email connection cleanly")


# --- Inbox --------------------------------------------------------------------------------


def inbox_entry_mark_read(*, entry: InboxEntry, user) -> bool:
    """Mark one of ``user``'s inbox entries read. Returns whether it was unread."""
    if entry.recipient_id != user.pk:
        raise PermissionError("only the recipient may mark a notification read")
    return bool(
        InboxEntry.objects.filter(pk=entry.pk, read_at__isnull=True)
        .update(read_at=timezone.now())
    )


def inbox_mark_all_read(*, user) -> int:
    """Mark all of ``user``'s unread inbox entries read. Returns how many changed."""
    return InboxEntry.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now())

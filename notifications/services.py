"""Schedule, cancel, complete and deliver due items; mark inbox entries read.

Every reminder is a row first (durable), written in the caller's transaction; nothing
depends on a Celery countdown. For an immediate alert (e.g. an at-risk report, 11.2),
schedule it with ``due_at=now``: ``schedule`` then asks for a sweep straight after the
commit, and the minute sweep is the safety net if the broker is down at that moment.

Delivery has two stages, and the due-item table is the outbox between them:

1. ``sweep`` (the only delivery path) puts due items in the inbox and escalates overdue
   ones, set-based: on PostgreSQL one statement per batch of deliveries. It locks due rows
   with ``SKIP LOCKED`` so any number of sweeps can run at once and each item is delivered
   by exactly one of them; the inbox entry is also protected by a unique constraint.
2. ``send_pending_emails`` (``notifications.email_outbox``) sends the email each delivery
   owes, in batches, and records it. A mail server that is down delays the email, never
   the inbox entry, and the email is retried until it goes. An email can only be repeated
   if a worker dies after sending and before its transaction commits.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import reduce
from operator import or_
from typing import TypeAlias

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from accounts.constants import MAX_CHAIN_DEPTH
from accounts.models import User
from audit.models import AuditEvent
from notifications import kinds, unread
from notifications.email_outbox import (  # noqa: F401 (re-exported: the second stage)
    EmailResult,
    ask_workers,
    emails_owed,
    escalation_emails_owed,
    request_email_drain,
    send_pending_emails,
)
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

    ask_workers(sweep_due_items, what="an immediate sweep")


# --- Delivery -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did. ``failed`` items (no one to escalate to) are retried next sweep."""

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
        kind.escalate_after.overdue_q(kind.name, now)
        if isinstance(kind.escalate_after, kinds.WorkingDays)
        else Q(kind=kind.name, due_at__lte=now - kind.escalate_after)
        for kind in kinds.all_kinds() if kind.escalate_after is not None
    ]
    if not per_kind:
        return DueItem.objects.none()
    return DueItem.objects.filter(
        reduce(or_, per_kind), sent_at__isnull=False, escalated_at__isnull=True,
        completed_at__isnull=True, cancelled_at__isnull=True,
    )


# Where a sweep has got to in (due_at, id) order: batches after the first start past it, so
# a sweep never walks again over rows it has just marked (nor loops on one it left pending).
Cursor: TypeAlias = tuple[datetime, int] | None


def sweep(*, now: datetime | None = None, batch_size: int | None = None) -> SweepResult:
    """Deliver every due item to the inbox, then escalate every overdue one (beat, each minute).

    Emails are not sent here: each delivery leaves one owed, for ``send_pending_emails``.
    """
    now = now or timezone.now()
    batch_size = batch_size or settings.NOTIFICATIONS_SWEEP_BATCH_SIZE
    deliver = (_deliver_batch if transaction.get_connection().vendor == "postgresql"
               else _deliver_batch_portable)
    delivered, cursor = 0, None
    while True:
        with transaction.atomic():
            count, cursor = deliver(now, cursor, batch_size)
        if not count:
            break
        delivered += count
    escalated = not_escalated = 0
    cursor = None
    while True:
        with transaction.atomic():
            done, not_done, cursor = _escalate_batch(now, cursor, batch_size)
        if not done + not_done:
            break
        escalated, not_escalated = escalated + done, not_escalated + not_done
    result = SweepResult(delivered, escalated, not_escalated)
    if delivered or escalated:
        unread.forget_everyone()  # new inbox entries: every header count is taken again
    if result != SweepResult():
        logger.info("sweep delivered=%d escalated=%d failed=%d",
                    result.delivered, result.escalated, result.failed)
    return result


# One statement per batch: lock the next due rows (skipping rows another sweep holds), put
# them in their recipients' inboxes (a repeat is a no-op: ``inbox_one_per_delivery``), mark
# them sent, and mark "no email owed" where the recipient has no address. Nothing comes back
# to Python but the count and the cursor. The batch's ids go to the UPDATE as an array, so
# it finds each row by its primary key rather than hashing the whole table.
_DELIVER_SQL = """
WITH due AS (
    SELECT id, recipient_id, message, link, due_at
      FROM notifications_dueitem
     WHERE due_at <= %(now)s AND due_at >= %(after_due)s AND (due_at, id) > (%(after_due)s, %(after_id)s)
       AND sent_at IS NULL AND completed_at IS NULL AND cancelled_at IS NULL
     ORDER BY due_at, id
     LIMIT %(limit)s
       FOR UPDATE SKIP LOCKED
), inbox AS (
    INSERT INTO notifications_inboxentry (recipient_id, text, link, created_at, due_item_id, escalation)
    SELECT recipient_id, message, link, %(at)s, id, false FROM due
    ON CONFLICT DO NOTHING
), delivered AS (
    UPDATE notifications_dueitem AS item
       SET sent_at = %(at)s, emailed_at = CASE WHEN recipient.email = '' THEN %(at)s END
      FROM accounts_user AS recipient
     WHERE item.id = ANY(ARRAY(SELECT id FROM due)) AND recipient.id = item.recipient_id
 RETURNING item.due_at, item.id
)
SELECT due_at, id, count(*) OVER () FROM delivered ORDER BY due_at DESC, id DESC LIMIT 1
"""  # noqa: E501


def _deliver_batch(now: datetime, cursor: Cursor, limit: int) -> tuple[int, Cursor]:
    """Deliver the next batch in one statement (PostgreSQL). Returns (delivered, cursor)."""
    with transaction.get_connection().cursor() as db:
        db.execute(_DELIVER_SQL, deliver_parameters(now, cursor, limit))
        row = db.fetchone()
    return (0, cursor) if row is None else (row[2], (row[0], row[1]))


def deliver_parameters(now: datetime, cursor: Cursor, limit: int) -> dict:
    """The parameters of ``_DELIVER_SQL`` (the benchmark EXPLAINs the same statement)."""
    after_due, after_id = cursor or (datetime.min.replace(tzinfo=UTC), 0)
    return {"now": now, "after_due": after_due, "after_id": after_id, "limit": limit,
            "at": timezone.now()}


def _deliver_batch_portable(now: datetime, cursor: Cursor, limit: int) -> tuple[int, Cursor]:
    """The same delivery in four statements, for databases without writable CTEs (SQLite)."""
    after = Q() if cursor is None else (
        Q(due_at__gte=cursor[0]) & ~Q(due_at=cursor[0], id__lte=cursor[1]))
    rows = list(
        due_unsent(now).filter(after).select_for_update(skip_locked=True)
        .order_by("due_at", "id").values_list("due_at", "id")[:limit])
    if not rows:
        return 0, cursor
    ids, at = [pk for _, pk in rows], timezone.now()
    _copy_to_inbox(ids, at)
    DueItem.objects.filter(pk__in=ids).update(sent_at=at)
    DueItem.objects.filter(pk__in=ids, recipient__email="").update(emailed_at=at)
    return len(rows), rows[-1]


def _copy_to_inbox(item_ids: list[int], at: datetime) -> None:
    """One statement: an inbox entry per item, unless an earlier attempt already made it."""
    inbox, due = InboxEntry._meta.db_table, DueItem._meta.db_table
    placeholders = ", ".join(["%s"] * len(item_ids))
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {inbox} (recipient_id, text, link, created_at, due_item_id, escalation)"  # noqa: S608
            f" SELECT recipient_id, message, link, %s, id, %s FROM {due}"
            f" WHERE id IN ({placeholders}) ON CONFLICT DO NOTHING",
            [at, False, *item_ids],
        )


def _escalate_batch(now: datetime, cursor: Cursor, limit: int) -> tuple[int, int, Cursor]:
    """Send the next batch of overdue items once up the chain (by default 2.2).

    Who an item goes to is its kind's rule (``Kind.escalate_to``, a Python function some
    apps replace), so the items are loaded as models; their recipients' whole manager
    chains come in one more query, so the rule needs none. Then one statement writes the
    inbox entries and marks the items escalated, and one more the audit rows.
    Returns (escalated, left for the next sweep, cursor).
    """
    after = Q() if cursor is None else (
        Q(due_at__gte=cursor[0]) & ~Q(due_at=cursor[0], id__lte=cursor[1]))
    batch = list(overdue_unescalated(now).filter(after)
                 .select_for_update(skip_locked=True).order_by("due_at", "id")[:limit])
    if not batch:
        return 0, 0, cursor
    _attach_manager_chains(batch)
    escalated = []
    for item in batch:
        manager = kinds.get_or_fallback(item.kind).escalate_to(item)
        if manager is None:
            logger.warning("no one available to escalate item=%s; will retry", item.pk)
            continue
        item.escalated_to = manager
        escalated.append(item)
    if escalated:
        _record_escalations(escalated, timezone.now())
    return len(escalated), len(batch) - len(escalated), (batch[-1].due_at, batch[-1].pk)


def _attach_manager_chains(batch: list[DueItem]) -> None:
    """Give each item its recipient, with the manager chain above them already loaded.

    One query (a recursive walk up ``line_manager``, as deep as ``manager_chain`` looks) for
    the whole batch; each person is one shared object, so the chain walk costs no queries.
    """
    recipients = sorted({item.recipient_id for item in batch})
    placeholders = ", ".join(["%s"] * len(recipients))  # only placeholders go into the SQL
    chain = RawSQL(  # noqa: S611
        "WITH RECURSIVE chain (id, depth) AS ("  # noqa: S608
        f" SELECT id, 0 FROM accounts_user WHERE id IN ({placeholders})"
        " UNION SELECT person.line_manager_id, chain.depth + 1"
        " FROM chain JOIN accounts_user AS person ON person.id = chain.id"
        " WHERE person.line_manager_id IS NOT NULL AND chain.depth <= %s"
        ") SELECT id FROM chain",
        [*recipients, MAX_CHAIN_DEPTH],
    )
    people = {person.pk: person for person in User.objects.filter(pk__in=chain).order_by()}
    for person in people.values():
        if person.line_manager_id in people:
            person.line_manager = people[person.line_manager_id]
    for item in batch:
        item.recipient = people[item.recipient_id]


# One statement per batch of escalations (PostgreSQL): the managers' inbox entries and the
# items marked escalated, from arrays of (item, manager, text) made by the kinds' rules. A
# manager with no address is told in the inbox only: no email is owed.
_ESCALATE_SQL = """
WITH chosen AS (
    SELECT * FROM unnest(%(ids)s::bigint[], %(managers)s::bigint[], %(texts)s::text[])
        AS chosen (id, manager_id, text)
), inbox AS (
    INSERT INTO notifications_inboxentry (recipient_id, text, link, created_at, due_item_id, escalation)
    SELECT chosen.manager_id, chosen.text, item.link, %(at)s, item.id, true
      FROM chosen JOIN notifications_dueitem AS item ON item.id = chosen.id
    ON CONFLICT DO NOTHING
)
UPDATE notifications_dueitem AS item
   SET escalated_at = %(at)s, escalated_to_id = chosen.manager_id,
       escalation_emailed_at = CASE WHEN manager.email = '' THEN %(at)s END
  FROM chosen JOIN accounts_user AS manager ON manager.id = chosen.manager_id
 WHERE item.id = chosen.id
"""  # noqa: E501


def _record_escalations(items: list[DueItem], at: datetime) -> None:
    """Inbox entries for the managers, the items marked escalated, one audit row each."""
    write = (_write_escalations if transaction.get_connection().vendor == "postgresql"
             else _write_escalations_portable)
    # Issue 16: the stored text names no one; whose item it was is shown from the item's
    # recipient at display time (the inbox, the home page).
    write(items, [f"Overdue: {item.message}"[:300] for item in items], at)
    item_type = ContentType.objects.get_for_model(DueItem)
    AuditEvent.objects.bulk_create([
        AuditEvent(actor=None, action="dueitem.escalated", target_type=item_type,
                   target_id=str(item.pk), occurred_at=at,
                   changes={"kind": item.kind, "recipient": item.recipient_id,
                            "escalated_to": item.escalated_to_id})
        for item in items
    ])


def _write_escalations(items: list[DueItem], texts: list[str], at: datetime) -> None:
    """The inbox entries and the items' escalation, in one statement (PostgreSQL)."""
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(_ESCALATE_SQL, {
            "ids": [item.pk for item in items], "texts": texts, "at": at,
            "managers": [item.escalated_to_id for item in items]})


def _write_escalations_portable(items: list[DueItem], texts: list[str], at: datetime) -> None:
    """The same in two statements, for databases without writable CTEs (SQLite)."""
    InboxEntry.objects.bulk_create([
        InboxEntry(recipient_id=item.escalated_to_id, due_item=item, escalation=True,
                   created_at=at, text=text, link=item.link)
        for item, text in zip(items, texts, strict=True)
    ], ignore_conflicts=True)
    for item in items:
        item.escalated_at = at
        item.escalation_emailed_at = None if item.escalated_to.email else at
    DueItem.objects.bulk_update(items, ["escalated_at", "escalated_to", "escalation_emailed_at"])


# --- Inbox --------------------------------------------------------------------------------


def inbox_entry_mark_read(*, entry: InboxEntry, user) -> bool:
    """Mark one of ``user``'s inbox entries read. Returns whether it was unread."""
    if entry.recipient_id != getattr(user, "pk", None):
        raise PermissionDenied("Only the person a notification was sent to can mark it read.")
    changed = bool(
        InboxEntry.objects.filter(pk=entry.pk, read_at__isnull=True)
        .update(read_at=timezone.now())
    )
    if changed:
        unread.forget_user(user.pk)  # the header's count (issue 23)
    return changed


def inbox_mark_all_read(*, user) -> int:
    """Mark all of ``user``'s unread inbox entries read. Returns how many changed."""
    changed = InboxEntry.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now())
    if changed:
        unread.forget_user(user.pk)
    return changed

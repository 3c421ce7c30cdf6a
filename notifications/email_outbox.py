"""The second stage of delivery: send the emails that inbox deliveries owe (the outbox).

The sweep puts an item in the inbox and leaves its email owed (``emailed_at`` empty; for an
escalation, ``escalation_emailed_at``). ``send_pending_emails`` finds those rows, locks a
batch with ``SKIP LOCKED`` (so two drains at once never take the same row), sends each
message over one connection and records it in the same transaction. A message that fails
stays owed and is retried by the next drain. The sweep's task asks for a drain after each
sweep that delivered something, and beat runs one every minute as the safety net.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError

from notifications import emails
from notifications.models import DueItem

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EmailResult:
    """What one drain did: emails sent (or found unneeded), and emails still owed after it."""

    sent: int = 0
    failed: int = 0


def emails_owed() -> QuerySet[DueItem]:
    """Delivered, still open items whose email has not gone (``dueitem_email_pending_idx``).

    An item completed or cancelled before its email went is not emailed: the work is done.
    """
    return DueItem.objects.filter(
        sent_at__isnull=False, emailed_at__isnull=True,
        completed_at__isnull=True, cancelled_at__isnull=True,
    )


def escalation_emails_owed() -> QuerySet[DueItem]:
    """Escalated, still open items whose manager has not been emailed yet."""
    return DueItem.objects.filter(
        escalated_at__isnull=False, escalation_emailed_at__isnull=True,
        completed_at__isnull=True, cancelled_at__isnull=True,
    )


def send_pending_emails(*, batch_size: int | None = None, connection=None) -> EmailResult:
    """Send every owed reminder email, then every owed escalation email; record each one.

    ``connection`` is an email backend connection (default: the configured backend). If
    the mail server cannot be reached at all, the drain stops and leaves the rest owed.
    """
    batch_size = batch_size or settings.NOTIFICATIONS_EMAIL_BATCH_SIZE
    mailer = _Mailer(connection or mail.get_connection())
    try:
        sent, failed = _send_in_locked_batches(
            emails_owed().select_related("recipient"), mailer, batch_size, escalation=False)
        if not mailer.is_down:
            escalations_sent, escalations_failed = _send_in_locked_batches(
                escalation_emails_owed().select_related("recipient", "escalated_to"),
                mailer, batch_size, escalation=True)
            sent, failed = sent + escalations_sent, failed + escalations_failed
    finally:
        mailer.close()
    result = EmailResult(sent, failed)
    if result != EmailResult():
        logger.info("email sent=%d failed=%d", result.sent, result.failed)
    return result


def _send_in_locked_batches(queryset: QuerySet[DueItem], mailer: "_Mailer", batch_size: int,
                            *, escalation: bool) -> tuple[int, int]:
    """Email locked batches of ``queryset`` in id order, one transaction per batch.

    The email and the mark that it went commit together, so a row another drain holds is
    skipped and never sent twice. The cursor moves past a failed message, so a drain never
    loops on it; the next drain retries it.
    """
    field = "escalation_emailed_at" if escalation else "emailed_at"
    sent = failed = after = 0
    while not mailer.is_down:
        with transaction.atomic():
            batch = list(queryset.filter(pk__gt=after)
                         .select_for_update(skip_locked=True, of=("self",))
                         .order_by("pk")[:batch_size])
            if not batch:
                break
            done = [item.pk for item in batch if mailer.send(
                item, item.escalated_to if escalation else item.recipient,
                escalation=escalation)]
            DueItem.objects.filter(pk__in=done).update(**{field: timezone.now()})
        sent, failed, after = sent + len(done), failed + len(batch) - len(done), batch[-1].pk
    return sent, failed


def ask_workers(task, *, times: int = 1, what: str) -> None:
    """Queue ``task`` ``times`` times, after a commit; if the broker cannot be reached, the
    beat schedule's periodic run of the same task does the work, so that failure is only
    logged (it must not turn a request that has already committed into an error page).
    Celery raises kombu's ``OperationalError`` for an unreachable broker; ``OSError`` covers
    a filesystem broker (``make run``) whose folder is gone. Anything else is a bug: raised."""
    try:
        for _ in range(times):
            task.delay()
    except (OperationalError, OSError):
        logger.warning("could not queue %s; the beat schedule will run it", what)


def request_email_drain(*, drains: int = 1) -> None:
    """Ask ``drains`` workers to send owed emails now; if the broker is down, beat's will."""
    from notifications.tasks import send_pending_emails as send_pending_emails_task

    ask_workers(send_pending_emails_task, times=drains, what="an email drain")


class _Mailer:
    """One email connection for the whole drain.

    A failed message is logged by item id (no addresses: they are personal data) and its
    email stays owed. If the mail server cannot be reached at all, the rest of this drain
    skips email rather than waiting on it for every item; the next drain tries again.
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

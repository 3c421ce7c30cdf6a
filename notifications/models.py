"""Durable due items (the procedure's clocks) and the in-app inbox."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone


class DueItem(models.Model):
    """A reminder or alert that must reach ``recipient`` at ``due_at``; never lost.

    Written in the same transaction as the record that creates it; the sweep delivers it to
    the inbox (``sent_at``) and, if the work is still not completed ``kind.escalate_after``
    later, escalates it once (``escalated_at``). Each delivery leaves an email owed, which
    ``send_pending_emails`` sends and records (``emailed_at``, ``escalation_emailed_at``):
    the table is the outbox. ``key`` makes scheduling idempotent.
    """

    kind = models.CharField(max_length=64)
    key = models.CharField(max_length=200, unique=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="due_items"
    )
    due_at = models.DateTimeField()
    message = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Delivered to the recipient's inbox.
    sent_at = models.DateTimeField(null=True, blank=True)
    # The reminder's email went, or none was needed (no address): no email is owed.
    emailed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # As ``emailed_at``, for the email to ``escalated_to``.
    escalation_emailed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            # "Due and unsent": the sweep's query is an index scan on this partial index.
            models.Index(
                fields=["due_at"], name="dueitem_unsent_due_idx",
                condition=Q(sent_at__isnull=True, cancelled_at__isnull=True,
                            completed_at__isnull=True),
            ),
            # Sent, not completed, not yet escalated: candidates for escalation.
            models.Index(
                fields=["due_at"], name="dueitem_escalation_idx",
                condition=Q(sent_at__isnull=False, escalated_at__isnull=True,
                            cancelled_at__isnull=True, completed_at__isnull=True),
            ),
            # Delivered to the inbox, email still owed: what ``send_pending_emails`` reads.
            models.Index(
                fields=["id"], name="dueitem_email_pending_idx",
                condition=Q(sent_at__isnull=False, emailed_at__isnull=True,
                            cancelled_at__isnull=True, completed_at__isnull=True),
            ),
            models.Index(
                fields=["id"], name="dueitem_esc_email_pending_idx",
                condition=Q(escalated_at__isnull=False, escalation_emailed_at__isnull=True,
                            cancelled_at__isnull=True, completed_at__isnull=True),
            ),
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["recipient", "due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} due {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None and self.cancelled_at is None


class InboxEntry(models.Model):
    """A notification in a member of staff's in-app inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox"
    )
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    due_item = models.ForeignKey(DueItem, null=True, blank=True, on_delete=models.SET_NULL)
    escalation = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]
        constraints = [
            # One inbox entry per delivery: delivering an item twice cannot duplicate it.
            models.UniqueConstraint(
                fields=["due_item", "recipient", "escalation"], name="inbox_one_per_delivery",
                condition=Q(due_item__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.text

"""System clients, their keys and scopes; call events; external ids; webhooks and their outbox."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from api.constants import (
    CallDirection,
    CallEventType,
    ClientKind,
    EventKind,
    ExportKind,
    Scope,
)


class SystemClient(models.Model):
    """A system that calls the API (telephony, case management, intranet), registered by an
    Administrator. Only a SHA-256 hash of its key is kept; the key is shown once.

    ``account`` is an inactive user with no roles and no password, so the audit trail can
    name the client as the actor of everything it does (``audit.AuditEvent.actor``).
    """

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=ClientKind.choices)
    scopes = models.JSONField(default=list, help_text="Subset of api.constants.Scope values.")
    key_prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    rate_limit_per_minute = models.PositiveIntegerField(default=600)
    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="system_client")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    rotated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def scope_labels(self) -> list[str]:
        return [Scope(s).label for s in self.scopes if s in Scope.values]


class CallEvent(models.Model):
    """One telephone call as the telephony system reports it, keyed by its call id.

    A new inbound call to a known agent opens a phone contact for them (``contact``), which
    their browser shows without a reload (the screen-pop poll).
    """

    client = models.ForeignKey(SystemClient, on_delete=models.PROTECT, related_name="calls")
    call_id = models.CharField(max_length=100)
    caller_number = models.CharField(max_length=40, blank=True)
    called_number = models.CharField(max_length=40, blank=True)
    direction = models.CharField(max_length=3, choices=CallDirection.choices)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    contact = models.OneToOneField("contacts.Contact", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="call_event")
    state = models.CharField(max_length=10, choices=CallEventType.choices,
                             default=CallEventType.NEW_CALL)
    started_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    popped_at = models.DateTimeField(null=True, blank=True,
                                     help_text="When the agent's browser showed the call.")

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["client", "call_id"], name="callevent_unique_call"),
        ]
        indexes = [
            models.Index(fields=["agent", "popped_at"], name="callevent_agent_pop",
                         condition=models.Q(popped_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"Call {self.call_id}"


class ExternalCustomer(models.Model):
    """The case-management system's id for one of our customers (upserts by that id)."""

    client = models.ForeignKey(SystemClient, on_delete=models.PROTECT,
                               related_name="external_customers")
    external_id = models.CharField(max_length=100)
    customer = models.ForeignKey("contacts.Customer", on_delete=models.CASCADE,
                                 related_name="external_ids")
    payload_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "external_id"],
                                    name="externalcustomer_unique_id"),
        ]

    def __str__(self) -> str:
        return f"{self.client_id}:{self.external_id}"


class CaseFileReceipt(models.Model):
    """The case system's confirmation that an exported record was placed in the case file
    (8.1 terminated-call log; 11.2 telephone note of an at-risk call)."""

    client = models.ForeignKey(SystemClient, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=ExportKind.choices)
    object_id = models.PositiveBigIntegerField()
    case_reference = models.CharField(max_length=20)
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="casefilereceipt_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} placed in case file"


class WebhookSubscription(models.Model):
    """A client's request to be told of some kinds of event at a URL, signed with a secret
    shown once (HMAC-SHA256 needs the secret itself, so it is stored, not hashed)."""

    client = models.ForeignKey(SystemClient, on_delete=models.CASCADE,
                               related_name="subscriptions")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list, help_text="Subset of api.constants.EventKind.")
    secret = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Subscription {self.pk} of {self.client_id}"


class WebhookDelivery(models.Model):
    """The outbox: one row per event per subscription, written in the transaction of the
    change. A sweep posts it, retrying with back-off until delivered or given up."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE,
                                     related_name="deliveries")
    event_id = models.UUIDField(default=uuid.uuid4)
    kind = models.CharField(max_length=40, choices=EventKind.choices)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    given_up_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="webhookdelivery_owed",
                         condition=models.Q(delivered_at__isnull=True,
                                            given_up_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"Delivery {self.pk}"


class WebhookAttempt(models.Model):
    """The delivery log: each POST of a delivery, with its HTTP status or error."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE,
                                 related_name="attempt_log")
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=100, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["attempted_at", "id"]

    def __str__(self) -> str:
        return f"Attempt {self.pk} ({self.status_code or self.error})"

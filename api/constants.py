"""Scopes, client kinds, call events and webhook event kinds of the integration API."""

from django.db import models


class Scope(models.TextChoices):
    LOOKUP = "lookup", "Caller lookup (screen-pop)"
    CALLS = "calls", "Call events"
    CASES = "cases", "Case-management sync"
    WEBHOOKS = "webhooks", "Webhook subscriptions"


class ClientKind(models.TextChoices):
    TELEPHONY = "telephony", "Telephony"
    CASE_MANAGEMENT = "case_management", "Case management (CMEH)"
    INTRANET = "intranet", "Intranet (Customer Contact ICON)"
    OTHER = "other", "Other"


class CallEventType(models.TextChoices):
    NEW_CALL = "new_call", "New call"
    ANSWERED = "answered", "Answered"
    HANGUP = "hangup", "Hang-up"


class CallDirection(models.TextChoices):
    INBOUND = "in", "Inbound"
    OUTBOUND = "out", "Outbound"


class EventKind(models.TextChoices):
    """What a webhook subscription can ask for. Payloads carry ids and kinds only."""

    RESTRICTION_DECIDED = "restriction.decided", "Restriction or adjustment decided"
    RESTRICTION_RENEWED = "restriction.renewed", "Restriction or adjustment renewed"
    RESTRICTION_LIFTED = "restriction.lifted", "Restriction or adjustment lifted"
    RESTRICTION_EXPIRED = "restriction.expired", "Restriction or adjustment expired"
    CALLLOG_SUBMITTED = "terminated_call_log.submitted", "Terminated-call log submitted"
    CONTACT_LOGGED = "contact.logged", "Contact logged"


class ExportKind(models.TextChoices):
    TERMINATED_CALL_LOG = "terminated_call_log", "Terminated-call log (8.1)"
    AT_RISK_NOTE = "at_risk_note", "At-risk telephone note (11.2)"


# The secret of a key: 32 random bytes, URL-safe. The prefix finds the row; only a SHA-256
# of the whole key is stored (the key has 256 bits of entropy, so a slow hash adds nothing).
KEY_PREFIX_BYTES = 6
KEY_SECRET_BYTES = 32
WEBHOOK_SECRET_BYTES = 32
# Deliveries: attempts, then given up (still listed, can be retried by an administrator).
WEBHOOK_MAX_ATTEMPTS = 12
WEBHOOK_TIMEOUT_SECONDS = 5

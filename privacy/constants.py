from django.db import models


class SarStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    IN_PROGRESS = "in_progress", "Being prepared"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Failed: try again"
    SENT = "sent", "Sent to the requester"


class ChallengeOutcome(models.TextChoices):
    PENDING = "pending", "Being considered"
    CORRECTED = "corrected", "Record corrected"
    NOT_CORRECTED = "not_corrected", "Not corrected: the customer's view is kept beside it"

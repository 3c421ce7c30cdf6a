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


class Exemption(models.TextChoices):
    """Grounds for withholding part of a subject access bundle (DPA 2018 Schedules 2 and 3)."""

    THIRD_PARTY = "third_party", "Information about another person (DPA 2018 Sch. 2 para 16)"
    CRIME = "crime", "Prevention or detection of crime (DPA 2018 Sch. 2 para 2)"
    LEGAL_PRIVILEGE = "legal_privilege", "Legal professional privilege (DPA 2018 Sch. 2 para 19)"
    SERIOUS_HARM = "serious_harm", ("Likely to cause serious harm to someone's physical or "
                                    "mental health (DPA 2018 Sch. 3 para 5)")

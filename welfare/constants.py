"""Staff welfare vocabulary (2.2, 8.2, 14.2, 15.6)."""

from django.db import models


class FollowUpStatus(models.TextChoices):
    SCHEDULED = "scheduled", "To be held"
    COMPLETED = "completed", "Held"


FOLLOW_UP_TRANSITIONS: dict[str, frozenset[str]] = {
    FollowUpStatus.SCHEDULED: frozenset({FollowUpStatus.COMPLETED}),
    FollowUpStatus.COMPLETED: frozenset(),
}


class FollowUpReason(models.TextChoices):
    TERMINATION = "termination", "Contact ended for offensive or abusive behaviour"
    REVIEW = "review", "Asked for in the review of a terminated-call log"


class DistressStatus(models.TextChoices):
    RAISED = "raised", "Raised"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"


DISTRESS_TRANSITIONS: dict[str, frozenset[str]] = {
    DistressStatus.RAISED: frozenset({DistressStatus.ACKNOWLEDGED}),
    DistressStatus.ACKNOWLEDGED: frozenset(),
}

KIND_WELFARE_FOLLOW_UP_DUE = "welfare_follow_up_due"
KIND_DISTRESS_FLAG = "distress_flag"

# 15.6, shown on every follow-up so neither side forgets it.
SICKNESS_ABSENCE_NOTE = (
    "If the staff member thinks sickness absence was caused as a direct result of dealing "
    "with this customer's behaviour, this can be discussed under the Managing Sickness "
    "Absence Policy (15.6)."
)

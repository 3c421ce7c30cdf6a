"""The vocabulary of restricted contact and reasonable adjustments (7.2, 12, 13).

The state machine lives here as one explicit table (``TRANSITIONS``): the services enforce
it and the model's ``CheckConstraint`` keeps the status inside ``Status``.
"""

from django.db import models


class Kind(models.TextChoices):
    """12.1 restricted contact and 12.2 reasonable adjustments share one approval path."""

    RESTRICTION = "restriction", "Restricted contact"
    ADJUSTMENT = "adjustment", "Reasonable adjustment"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for a decision"
    RETURNED = "returned", "Returned for more information"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"
    UNDER_REVIEW = "under_review", "Under review"
    RENEWED = "renewed", "Renewed"
    LIFTED = "lifted", "Lifted"
    EXPIRED = "expired", "Expired"


class Action(models.TextChoices):
    """The moves of the state machine; each one is a service in ``services.py``."""

    SUBMIT = "submit", "Submitted for a decision"
    WITHDRAW = "withdraw", "Withdrawn"
    APPROVE = "approve", "Approved"
    REFUSE = "refuse", "Refused"
    RETURN = "return", "Returned for more information"
    START_REVIEW = "start_review", "Review started"
    RENEW = "renew", "Renewed"
    LIFT = "lift", "Lifted"
    EXPIRE = "expire", "Expired"
    VARY = "vary", "Terms varied on appeal"
    OVERTURN = "overturn", "Overturned on appeal"


# (action) -> (the states it may start from, the state it ends in). The only table.
# ``None`` as the end state: the record stays in the state it was in (terms varied on appeal:
# still in force, with a transition row like every other change).
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    Action.SUBMIT: (frozenset({Status.DRAFT, Status.RETURNED}), Status.SUBMITTED),
    Action.WITHDRAW: (
        frozenset({Status.DRAFT, Status.SUBMITTED, Status.RETURNED}), Status.WITHDRAWN),
    Action.APPROVE: (frozenset({Status.SUBMITTED}), Status.APPROVED),
    Action.REFUSE: (frozenset({Status.SUBMITTED}), Status.REFUSED),
    Action.RETURN: (frozenset({Status.SUBMITTED}), Status.RETURNED),
    Action.START_REVIEW: (frozenset({Status.APPROVED, Status.RENEWED}), Status.UNDER_REVIEW),
    Action.RENEW: (
        frozenset({Status.APPROVED, Status.RENEWED, Status.UNDER_REVIEW}), Status.RENEWED),
    Action.LIFT: (
        frozenset({Status.APPROVED, Status.RENEWED, Status.UNDER_REVIEW}), Status.LIFTED),
    Action.EXPIRE: (
        frozenset({Status.APPROVED, Status.RENEWED, Status.UNDER_REVIEW}), Status.EXPIRED),
    Action.VARY: (frozenset({Status.APPROVED, Status.RENEWED, Status.UNDER_REVIEW}), None),
    Action.OVERTURN: (
        frozenset({Status.APPROVED, Status.RENEWED, Status.UNDER_REVIEW}), Status.LIFTED),
}

# In force (subject to its dates): shown on banners and lookup (12.3).
ACTIVE = frozenset({Status.APPROVED, Status.RENEWED, Status.UNDER_REVIEW})
# A Head of Department (or acting Head) has made a decision: the decider is recorded.
DECIDED = frozenset(
    {Status.APPROVED, Status.REFUSED, Status.UNDER_REVIEW, Status.RENEWED, Status.LIFTED,
     Status.EXPIRED}
)
# The requester may still change the request.
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})


def can_transition(status: str, action: str) -> bool:
    """Whether ``action`` may start from ``status`` (the one table above)."""
    sources, _ = TRANSITIONS[action]
    return status in sources


class Term(models.TextChoices):
    """Structured terms of a restriction (7.2)."""

    WRITTEN_ONLY = "written_only", "Written contact only"
    EMAIL_ONLY = "email_only", "Email only"
    PHONE_SET_TIMES = "phone_set_times", "Telephone only at set times"
    SINGLE_POINT = "single_point", "One named point of contact"
    CALL_LENGTH = "call_length", "A limit on call length"
    NO_VISITS = "no_visits", "No visits in person"


class Adjustment(models.TextChoices):
    """Reasonable adjustments (12.2)."""

    EMAIL_NOT_PHONE = "email_not_phone", "Email instead of telephone"
    EXTRA_TIME = "extra_time", "Extra time"
    LARGE_PRINT = "large_print", "Large print"
    INTERPRETER = "interpreter", "Interpreter"
    NAMED_CONTACT = "named_contact", "A named contact"
    DIFFERENT_TIME = "different_time", "A different time of day"
    PHONE_CONTACT = "phone_contact", "Telephone contact (cannot use written contact)"


# Channels (contacts.constants.Channel values) each term allows; None means no limit.
TERM_ALLOWED_CHANNELS: dict[str, frozenset[str]] = {
    Term.WRITTEN_ONLY: frozenset({"email", "letter", "web_form"}),
    Term.EMAIL_ONLY: frozenset({"email"}),
    Term.PHONE_SET_TIMES: frozenset({"phone", "email", "letter", "web_form"}),
    Term.NO_VISITS: frozenset({"phone", "email", "letter", "web_form"}),
}

# Terms that clash with an adjustment (12.2 conflicts flagged to the decision maker).
CONFLICTS: dict[tuple[str, str], str] = {
    (Term.WRITTEN_ONLY, Adjustment.PHONE_CONTACT): (
        "Written contact only clashes with an agreed adjustment for telephone contact."),
    (Term.EMAIL_ONLY, Adjustment.PHONE_CONTACT): (
        "Email only clashes with an agreed adjustment for telephone contact."),
    (Term.EMAIL_ONLY, Adjustment.LARGE_PRINT): (
        "Email only clashes with an agreed adjustment for large-print letters."),
    (Term.CALL_LENGTH, Adjustment.EXTRA_TIME): (
        "A limit on call length clashes with an agreed adjustment for extra time."),
    (Term.PHONE_SET_TIMES, Adjustment.DIFFERENT_TIME): (
        "Telephone only at set times clashes with an agreed adjustment for a different "
        "time of day: check the set times suit the customer."),
    (Term.SINGLE_POINT, Adjustment.NAMED_CONTACT): (
        "One named point of contact overlaps an agreed named contact: make sure they are "
        "the same person."),
}


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld: the decision stands"
    VARIED = "varied", "Varied: the terms change"
    OVERTURNED = "overturned", "Overturned: the restriction is lifted"


class FurtherActionKind(models.TextChoices):
    """13: action outside this procedure to protect staff."""

    POLICE = "police", "Report to the police"
    LEGAL = "legal", "Legal action"


class TriageOutcome(models.TextChoices):
    PLACED_ON_FILE = "placed_on_file", "Placed on file: no new information, no safeguarding concern"
    NEEDS_ACTION = "needs_action", "Needs action: new information or a safeguarding concern"

"""The terminated-call log's vocabulary (8.1, 8.2 and the appendix)."""

from django.db import models


class LogStatus(models.TextChoices):
    """A log is written by the staff member, given to the line manager, then discussed."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Given to line manager"
    REVIEWED = "reviewed", "Reviewed"


# The one table of allowed moves; the services enforce it, the database constrains the values.
LOG_TRANSITIONS: dict[str, frozenset[str]] = {
    LogStatus.DRAFT: frozenset({LogStatus.SUBMITTED}),
    LogStatus.SUBMITTED: frozenset({LogStatus.REVIEWED}),
    LogStatus.REVIEWED: frozenset(),
}

KIND_CALLLOG_SUBMITTED = "calllog_submitted"
KIND_CALLLOG_DRAFT = "calllog_draft"

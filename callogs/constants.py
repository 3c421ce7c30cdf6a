"""The terminated-call log's vocabulary (8.1, 8.2 and the appendix)."""

from django.db import models


class LogStatus(models.TextChoices):
    """A log is written by the staff member, given to the line manager, then discussed."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Given to line manager"
    RETURNED = "returned", "Returned to the author to amend"
    REVIEWED = "reviewed", "Reviewed"


# Whose author may still change the log (before it is given, or once it is returned).
EDITABLE_STATUSES = frozenset({LogStatus.DRAFT, LogStatus.RETURNED})

# The one table of allowed moves; the services enforce it, the database constrains the values.
LOG_TRANSITIONS: dict[str, frozenset[str]] = {
    LogStatus.DRAFT: frozenset({LogStatus.SUBMITTED}),
    # Issue 17: the reviewing manager may return it to its author to amend, who gives it
    # back (resubmits); it is reviewed once it is right.
    LogStatus.SUBMITTED: frozenset({LogStatus.REVIEWED, LogStatus.RETURNED}),
    LogStatus.RETURNED: frozenset({LogStatus.SUBMITTED}),
    LogStatus.REVIEWED: frozenset(),
}

KIND_CALLLOG_SUBMITTED = "calllog_submitted"
KIND_CALLLOG_DRAFT = "calllog_draft"

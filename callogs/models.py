"""The terminated-call log (8.1, appendix) and the line manager's review of it (8.2)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from callogs.constants import EDITABLE_STATUSES, LOG_TRANSITIONS, LogStatus


class TerminatedCallLog(models.Model):
    """The appendix's "Record of a terminated call", one per ended contact (8.1)."""

    contact = models.OneToOneField(
        "contacts.Contact", on_delete=models.PROTECT, related_name="terminated_call_log"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="terminated_call_logs"
    )
    caller_name = models.CharField(
        "Name of caller (if known)", max_length=200, blank=True,
        help_text="Appendix: leave blank if the caller did not give a name.",
    )
    case_reference = models.CharField(
        "Case reference (where applicable)", max_length=20, blank=True,
        help_text="8.1: if the call relates to a case, a copy of this log goes in the case file.",
    )
    call_at = models.DateTimeField("Date and time of call")
    reason = models.TextField("Reason for terminating the call")
    staff_name = models.CharField("Staff member's name", max_length=200)
    status = models.CharField(max_length=20, choices=LogStatus.choices,
                              default=LogStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    placed_in_case_file_at = models.DateTimeField(null=True, blank=True)
    placed_in_case_file_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    # 8.1: the manager the log was given to (the line manager, or the next one up when they
    # are away), set each time it is given.
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name="Given to",
    )
    # Issue 17: the reviewing manager returned it to its author to amend (the latest time).
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    return_reason = models.TextField("What to amend", blank=True)
    times_returned = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-call_at", "-id"]
        indexes = [models.Index(fields=["author", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=LogStatus.values), name="calllog_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status=LogStatus.DRAFT) | models.Q(submitted_at__isnull=False),
                name="calllog_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(placed_in_case_file_at__isnull=True)
                | ~models.Q(case_reference=""),
                name="calllog_case_file_needs_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"Terminated-call log {self.pk}"

    def can_transition_to(self, status: str) -> bool:
        return status in LOG_TRANSITIONS[self.status]

    @property
    def is_draft(self) -> bool:
        return self.status == LogStatus.DRAFT

    @property
    def is_editable(self) -> bool:
        """Its author may change it: a draft, or returned to them to amend (issue 17)."""
        return self.status in EDITABLE_STATUSES


class LogReview(models.Model):
    """The line manager's discussion of a terminated call with the staff member (8.2)."""

    log = models.OneToOneField(TerminatedCallLog, on_delete=models.PROTECT,
                               related_name="review")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    discussed_on = models.DateField("Date you discussed the call with the staff member")
    staff_clear_about_circumstances = models.BooleanField(
        "Is the staff member clear about the circumstances?"
    )
    effect_on_staff = models.TextField("How the contact affected them")
    advice_and_support = models.TextField("Advice and support offered")
    restriction_request_intended = models.BooleanField(
        "Ask a Head of Department to consider restricting contact (12.1)", default=False
    )
    welfare_follow_up_requested = models.BooleanField(
        "Arrange a welfare follow-up meeting (14.2)", default=False
    )
    reviewed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Review of log {self.log_id}"

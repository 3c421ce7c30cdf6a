"""Restricted contact and reasonable adjustments (7.2, 12), appeals, further action (13)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from restrictions.constants import (
    ACTIVE,
    DECIDED,
    Action,
    Adjustment,
    AppealOutcome,
    FurtherActionKind,
    Kind,
    Status,
    Term,
    TriageOutcome,
    can_transition,
)

USER = settings.AUTH_USER_MODEL

# The last day a record is in force unless renewed (``Restriction.until``), in SQL. Queries
# that filter on it use this same expression, so PostgreSQL can use the index on it.
UNTIL = Least("review_date", Coalesce("end_date", "review_date"))


class Restriction(models.Model):
    """A request for restricted contact (7.2, 12.1) or a reasonable adjustment (12.2).

    One record goes from request to decision to review: its ``status`` follows the table in
    ``restrictions.constants.TRANSITIONS``. The terms (or adjustments) are what every member
    of staff sees on the banner; the grounds open only to managers, Heads of Department and
    Compliance, and each opening is audited.
    """

    customer = models.ForeignKey(
        "contacts.Customer", on_delete=models.PROTECT, related_name="restrictions")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RESTRICTION)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="restrictions",
        help_text="The requester's department: its Head (or acting Head) decides (7.2).",
    )

    # Grounds (7.2): the contacts behind it, plus other records by reference.
    grounds = models.TextField(help_text="Why: the behaviour and what has been tried.")
    grounds_contacts = models.ManyToManyField(
        "contacts.Contact", blank=True, related_name="restriction_grounds")
    grounds_references = models.CharField(
        max_length=300, blank=True,
        help_text="Terminated-call log and persistent-contact flag references, if any.",
    )

    # Terms of a restriction (7.2).
    terms = models.JSONField(default=list, blank=True, help_text="Codes from Term.")
    phone_times = models.CharField(max_length=200, blank=True)
    call_length_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    point_of_contact = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    placed_on_file = models.BooleanField(
        default=False,
        help_text="Written contact that raises nothing new is placed on file (after triage).",
    )
    terms_notes = models.TextField(blank=True)

    # A reasonable adjustment (12.2).
    need = models.CharField(max_length=300, blank=True)
    adjustments = models.JSONField(default=list, blank=True, help_text="Codes from Adjustment.")

    start_date = models.DateField()
    review_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_as_acting = models.BooleanField(
        default=False, help_text="Decided by an acting Head of Department (12.1): the letter "
        "says so.")

    # Telling the customer in writing, or the recorded exception.
    letter_sent_on = models.DateField(null=True, blank=True)
    informed_on = models.DateField(null=True, blank=True)
    not_informed_reason = models.TextField(blank=True)
    inform_check_on = models.DateField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "status"]),
            models.Index(fields=["department", "status"]),
            models.Index(fields=["status", "review_date"]),
            # The "in force" report (12): records reviewed on or after the range's first day,
            # read from the index alone. (At bench size every record is in force, so the
            # planner rightly reads the whole table instead.)
            models.Index(fields=["review_date"], name="restriction_report_cover",
                         include=["start_date", "end_date", "kind", "status",
                                  "requested_by", "department"]),
            # The in-force counts (dashboards.models.RestrictionSpan) count whole months; the
            # days at either end of a range are corrected by the records starting or stopping
            # in them: a few days' worth, found by these two indexes.
            models.Index(fields=["start_date"], name="restriction_start"),
            models.Index(UNTIL, name="restriction_until"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values),
                                   name="restriction_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values),
                                   name="restriction_kind_valid"),
            models.CheckConstraint(condition=Q(review_date__gte=F("start_date")),
                                   name="restriction_review_after_start"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="restriction_end_after_start"),
            # 7.2: a decided request names its decider, who is never the requester.
            models.CheckConstraint(
                condition=~Q(status__in=sorted(DECIDED)) | Q(decided_by__isnull=False),
                name="restriction_decided_has_decider"),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="restriction_not_decided_by_requester"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def decider_title(self) -> str:
        """How the decider signs the letter (12.1): an acting Head says so."""
        return "Acting Head of Department" if self.decided_as_acting else "Head of Department"

    @property
    def is_adjustment(self) -> bool:
        return self.kind == Kind.ADJUSTMENT

    @property
    def is_active(self) -> bool:
        """In force today: an active status and today inside its dates."""
        today = timezone.localdate()
        return (
            self.status in ACTIVE and self.start_date <= today <= self.until
        )

    @property
    def until(self):
        """The last day it is in force unless renewed: the earlier of end and review date."""
        return min(d for d in (self.end_date, self.review_date) if d is not None)

    def can_transition(self, action: str) -> bool:
        return can_transition(self.status, action)

    def term_labels(self) -> list[str]:
        return [Term(t).label for t in self.terms if t in Term.values]

    def adjustment_labels(self) -> list[str]:
        return [Adjustment(a).label for a in self.adjustments if a in Adjustment.values]


class RestrictionTransition(models.Model):
    """Every move of a restriction's state machine: who, when, why (never changed)."""

    restriction = models.ForeignKey(
        Restriction, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", help_text="Empty when the system did it.")
    occurred_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class Appeal(models.Model):
    """The customer asks for the decision to be reviewed; someone senior, uninvolved, decides."""

    restriction = models.ForeignKey(Restriction, on_delete=models.PROTECT,
                                    related_name="appeals")
    received_on = models.DateField()
    customer_grounds = models.TextField("What the customer says")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=20, choices=AppealOutcome.choices, blank=True)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=AppealOutcome.values),
                name="appeal_outcome_valid"),
            models.CheckConstraint(
                condition=Q(outcome="", decided_by__isnull=True)
                | (~Q(outcome="") & Q(decided_by__isnull=False)),
                name="appeal_decided_has_decider"),
        ]

    def __str__(self) -> str:
        return f"Appeal {self.pk}"


class FurtherAction(models.Model):
    """13: a report to the police or legal action, visible to managers."""

    customer = models.ForeignKey("contacts.Customer", on_delete=models.PROTECT,
                                 related_name="further_actions")
    restriction = models.ForeignKey(Restriction, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="further_actions")
    kind = models.CharField(max_length=10, choices=FurtherActionKind.choices)
    reference = models.CharField(max_length=100, help_text="Crime or claim reference.")
    taken_on = models.DateField()
    taken_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-taken_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FurtherActionKind.values),
                                   name="furtheraction_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"


class TriageItem(models.Model):
    """Written contact from a restricted customer to be placed on file, after a sign-off."""

    contact = models.OneToOneField("contacts.Contact", on_delete=models.PROTECT,
                                   related_name="restriction_triage")
    restriction = models.ForeignKey(Restriction, on_delete=models.PROTECT,
                                    related_name="triage_items")
    created_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=20, choices=TriageOutcome.choices, blank=True)
    note = models.TextField(blank=True)
    signed_off_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="", signed_off_by__isnull=True)
                | (Q(outcome__in=TriageOutcome.values) & Q(signed_off_by__isnull=False)),
                name="triage_signed_off_has_outcome"),
        ]

    def __str__(self) -> str:
        return f"Triage {self.pk}"

"""Subject access requests, challenges to records, and retention runs."""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core import dates
from privacy.constants import ChallengeOutcome, Exemption, SarStatus


def sar_deadline(received_on, *, extended: bool = False):
    """The date a subject access response is due (UK GDPR Art. 12(3)).

    One calendar month from the day of receipt: the same day number in the next month, or
    the last day of that month when it has no such day (received 31 January -> 28/29
    February). The extension adds two further months, counted the same way from receipt.
    When that date is a weekend or a bank holiday the deadline is the next working day.
    """
    return dates.next_working_day(dates.add_months(received_on, 3 if extended else 1))


class SubjectAccessRequest(models.Model):
    """A customer's request for everything we hold about them (UK GDPR Art. 15)."""

    customer = models.ForeignKey("contacts.Customer", on_delete=models.PROTECT,
                                 related_name="subject_access_requests")
    received_on = models.DateField()
    extended = models.BooleanField(default=False)
    extension_reason = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=SarStatus.choices,
                              default=SarStatus.RECEIVED)
    progress = models.PositiveSmallIntegerField(default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    generated_at = models.DateTimeField(null=True, blank=True)
    # When the worker building the export last reported (issue 19, finding 5): a sweep
    # restarts an export whose worker has been silent for SAR_STALL_MINUTES.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    sent_on = models.DateField(null=True, blank=True)
    export = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=SarStatus.values),
                                   name="sar_status_valid"),
            models.CheckConstraint(condition=models.Q(progress__lte=100),
                                   name="sar_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"Subject access request {self.pk}"

    @property
    def deadline(self):
        return sar_deadline(self.received_on, extended=self.extended)


class RecordChallenge(models.Model):
    """A customer's challenge to the accuracy of a record, kept beside it (UK GDPR Art. 16)."""

    customer = models.ForeignKey("contacts.Customer", on_delete=models.PROTECT,
                                 related_name="challenges")
    target_type = models.ForeignKey(ContentType, null=True, blank=True,
                                    on_delete=models.PROTECT)
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    statement = models.TextField(help_text="What the customer says is wrong, in their words.")
    received_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    outcome = models.CharField(max_length=20, choices=ChallengeOutcome.choices,
                               default=ChallengeOutcome.PENDING)
    outcome_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        constraints = [models.CheckConstraint(
            name="challenge_decided_has_decider",
            condition=Q(outcome=ChallengeOutcome.PENDING)
            | Q(decided_by__isnull=False, decided_at__isnull=False))]

    def __str__(self) -> str:
        return f"Challenge {self.pk}"


class RetentionRun(models.Model):
    """A retention sweep: first a dry-run report, then (once Compliance applies it) the work."""

    created_at = models.DateTimeField(default=timezone.now)
    cutoff_report = models.JSONField(default=dict)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    applied_report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Retention run {self.created_at:%Y-%m-%d}"


class LegalHold(models.Model):
    """Compliance keeps everything about a customer back from retention (litigation, an
    investigation, a regulator's inquiry): while in force, the retention run touches nothing
    of theirs. Placed and released with a reason, both audited."""

    customer = models.ForeignKey("contacts.Customer", on_delete=models.PROTECT,
                                 related_name="legal_holds")
    reason = models.TextField(help_text="Why the records must be kept, e.g. a claim reference.")
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    release_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="legalhold_has_reason"),
            models.CheckConstraint(
                condition=models.Q(released_at__isnull=True, released_by__isnull=True)
                | Q(released_at__isnull=False, released_by__isnull=False),
                name="legalhold_released_who_when"),
            models.UniqueConstraint(fields=["customer"], condition=models.Q(
                released_at__isnull=True), name="one_legal_hold_in_force_per_customer"),
        ]

    def __str__(self) -> str:
        return f"Legal hold {self.pk}"

    @property
    def in_force(self) -> bool:
        return self.released_at is None


class SarWithholding(models.Model):
    """A part of a subject access bundle Compliance withholds, with the exemption relied on.

    ``part`` is a model label (``atrisk.AtRiskReport``: every such record) or one record
    (``atrisk.AtRiskReport:12``). The bundle leaves the part out and says what and why.
    """

    sar = models.ForeignKey(SubjectAccessRequest, on_delete=models.CASCADE,
                            related_name="withholdings")
    part = models.CharField(max_length=120)
    exemption = models.CharField(max_length=20, choices=Exemption.choices)
    reason = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["part", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(exemption__in=Exemption.values),
                                   name="sarwithholding_exemption_valid"),
            models.CheckConstraint(condition=~models.Q(reason=""),
                                   name="sarwithholding_has_reason"),
            models.UniqueConstraint(fields=["sar", "part"], name="sarwithholding_once"),
        ]

    def __str__(self) -> str:
        return f"Withheld {self.part}"


def stalled_export_condition(now) -> Q:
    """Exports whose worker went silent (issue 19, finding 5): being prepared with no progress
    report for ``SAR_STALL_MINUTES``, or received that long ago and never started. The sweep
    restarts them (``privacy.services.sar_restart_stalled``); /metrics counts them."""
    cutoff = now - dt.timedelta(minutes=settings.SAR_STALL_MINUTES)
    return (Q(status=SarStatus.IN_PROGRESS, heartbeat_at__lt=cutoff)
            | Q(status=SarStatus.IN_PROGRESS, heartbeat_at__isnull=True)
            | Q(status=SarStatus.RECEIVED, created_at__lt=cutoff,
                heartbeat_at__isnull=True)
            | Q(status=SarStatus.RECEIVED, heartbeat_at__lt=cutoff))

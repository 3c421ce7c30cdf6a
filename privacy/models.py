"""Subject access requests, challenges to records, and retention runs."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from privacy.constants import ChallengeOutcome, SarStatus
from privacy.deadlines import sar_deadline


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

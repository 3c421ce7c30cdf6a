"""At-risk reports, the senior duty rota and vital-interests disclosures (paragraph 11)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from atrisk.constants import (
    Consent,
    EmergencyAdvice,
    RecipientType,
    ReportStatus,
    Source,
    ThreatType,
)


class DutyRota(models.Model):
    """A senior member of staff on duty from ``starts_at`` to ``ends_at`` (11.2: "immediately
    pass them on to a senior member of staff"). At-risk alerts go to whoever is on duty."""

    senior = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="duty_shifts",
        help_text="Must hold the Senior staff role.",
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = "duty rota entry"
        verbose_name_plural = "duty rota"
        indexes = [models.Index(fields=["ends_at", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="dutyrota_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Duty {self.starts_at:%Y-%m-%d %H:%M} to {self.ends_at:%Y-%m-%d %H:%M}"


class AtRiskReport(models.Model):
    """A threat of self-harm or of harm to others, with as many details as possible (11.2-11.4).

    Seen only by the reporter, senior staff, Compliance and anyone alerted about it; every
    view is written to the audit trail.
    """

    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="atrisk_reports"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=20, choices=Source.choices)
    contact = models.ForeignKey(
        "contacts.Contact", null=True, blank=True, on_delete=models.PROTECT,
        related_name="atrisk_reports",
    )
    customer = models.ForeignKey(
        "contacts.Customer", null=True, blank=True, on_delete=models.PROTECT,
        related_name="atrisk_reports",
    )
    case_reference = models.ForeignKey(
        "contacts.CaseReference", null=True, blank=True, on_delete=models.PROTECT,
        related_name="atrisk_reports",
    )
    threat_type = models.CharField(max_length=20, choices=ThreatType.choices)
    what_was_said = models.TextField(
        help_text="11.2: the threat in the caller's own words, as closely as you can."
    )
    caller_name = models.CharField(max_length=200, blank=True)
    caller_phone = models.CharField(max_length=40, blank=True)
    caller_other_details = models.TextField(
        blank=True, help_text="Anything else that could identify or reach the person."
    )
    location_given = models.TextField(
        blank=True, help_text="Any location the person gave, in their words."
    )
    threat_made_at = models.DateTimeField(help_text="When the threat was made.")
    emergency_advice = models.CharField(max_length=20, choices=EmergencyAdvice.choices)
    case_note = models.TextField(
        blank=True,
        help_text="11.2: for an ongoing case, the note of the threats for the case file.",
    )
    # 11.2: the telephone note filed with the case (as 8.1's log copy is placed in it).
    case_note_filed_at = models.DateTimeField(null=True, blank=True)
    case_note_filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.RAISED
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # 11.5: the senior assessment.
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    spoke_to_reporter_at = models.DateTimeField(
        null=True, blank=True,
        help_text="11.5: when the senior spoke to the member of staff who made the report.")
    agencies_contacted = models.BooleanField(null=True)
    agencies = models.TextField(blank=True)
    agencies_contacted_at = models.DateTimeField(null=True, blank=True)
    agencies_outcome = models.TextField(blank=True)
    assessment_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["raised_by", "-raised_at"]),
            models.Index(fields=["status", "-raised_at"]),
            models.Index(fields=["contact", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="atriskreport_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.RAISED)
                | Q(acknowledged_by__isnull=False, acknowledged_at__isnull=False),
                name="atriskreport_acknowledged_has_who_when",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.ASSESSED)
                | Q(assessed_by__isnull=False, agencies_contacted__isnull=False),
                name="atriskreport_assessed_has_assessment",
            ),
            models.CheckConstraint(
                condition=Q(case_note_filed_at__isnull=True)
                | Q(case_reference__isnull=False, case_note_filed_by__isnull=False),
                name="atriskreport_filed_note_needs_case",
            ),
        ]

    def __str__(self) -> str:
        return f"At-risk report {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status != ReportStatus.ASSESSED


class VitalInterestsDisclosure(models.Model):
    """A disclosure of the customer's details to an authority in their vital interests (11.6).

    It records the vital-interests test, the recipient, exactly what was disclosed and who
    authorised it; Compliance then records it in the disclosure register.
    """

    report = models.ForeignKey(
        AtRiskReport, on_delete=models.PROTECT, related_name="disclosures"
    )
    necessity = models.TextField(
        "Why the disclosure is necessary to protect someone's life",
    )
    less_intrusive_options = models.TextField(
        "Less intrusive options considered, and why they were not enough",
    )
    consent = models.CharField(
        "Whether the person could consent", max_length=20, choices=Consent.choices
    )
    consent_explanation = models.TextField("Why consent was not relied on")
    recipient_type = models.CharField(max_length=20, choices=RecipientType.choices)
    recipient_authority = models.CharField(
        "Recipient authority", max_length=200,
        help_text="The organisation, team and, if known, the officer's name or reference.",
    )
    what_was_disclosed = models.TextField("Exactly what was disclosed")
    disclosed_at = models.DateTimeField("When it was disclosed")
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name="Authorised by",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-disclosed_at", "-id"]
        indexes = [
            models.Index(fields=["-disclosed_at"]),
            models.Index(fields=["recipient_type", "-disclosed_at"]),
        ]
        constraints = [
            # 11.6: the vital-interests test cannot be left out, even outside the service.
            models.CheckConstraint(
                condition=~Q(necessity="") & ~Q(less_intrusive_options="")
                & ~Q(consent_explanation="") & ~Q(recipient_authority="")
                & ~Q(what_was_disclosed=""),
                name="disclosure_justification_complete",
            ),
            models.CheckConstraint(
                condition=Q(consent__in=Consent.values), name="disclosure_consent_valid"
            ),
            models.CheckConstraint(
                condition=Q(registered_at__isnull=True, registered_by__isnull=True)
                | Q(registered_at__isnull=False, registered_by__isnull=False),
                name="disclosure_registered_who_when",
            ),
        ]

    def __str__(self) -> str:
        return f"Disclosure {self.pk}"

    @property
    def is_registered(self) -> bool:
        return self.registered_at is not None

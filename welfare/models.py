"""Welfare follow-ups after a hard contact (8.2, 14.2) and distress flags (2.2)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from welfare.constants import DistressStatus, FollowUpReason, FollowUpStatus


class WelfareFollowUp(models.Model):
    """A manager's meeting with a member of staff after a hard contact (14.2)."""

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="welfare_follow_ups")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="welfare_follow_ups_to_hold")
    contact = models.ForeignKey("contacts.Contact", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="welfare_follow_ups")
    reason = models.CharField(max_length=20, choices=FollowUpReason.choices)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=FollowUpStatus.choices,
                              default=FollowUpStatus.SCHEDULED)
    held_on = models.DateField("Date of the meeting", null=True, blank=True)
    effect_on_staff = models.TextField(
        "Effect on the staff member", blank=True,
        help_text="14.2: the effect the behaviour has had on them.",
    )
    support_offered = models.TextField(
        "Support offered", blank=True,
        help_text="14.2: the steps in place to assist them.",
    )
    employee_assistance_referral = models.BooleanField(
        "Referred to the employee assistance programme", default=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["manager", "status", "due_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=FollowUpStatus.values),
                                   name="welfarefollowup_status_valid"),
            models.CheckConstraint(
                condition=models.Q(status=FollowUpStatus.SCHEDULED)
                | models.Q(held_on__isnull=False, completed_at__isnull=False),
                name="welfarefollowup_held_has_date",
            ),
            # One follow-up per contact: a termination and its review ask for the same meeting.
            models.UniqueConstraint(fields=["contact"], condition=models.Q(contact__isnull=False),
                                    name="welfarefollowup_one_per_contact"),
        ]

    def __str__(self) -> str:
        return f"Welfare follow-up {self.pk}"


class DistressFlag(models.Model):
    """A member of staff saying they feel uncomfortable or distressed (2.2)."""

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="distress_flags")
    routed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="distress_flags_received",
        help_text="2.2: the line manager, or the next manager up when they are away.",
    )
    contact = models.ForeignKey("contacts.Contact", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="distress_flags")
    note = models.TextField("What is happening (optional)", blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=DistressStatus.choices,
                              default=DistressStatus.RAISED)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    action_taken = models.TextField("What you did", blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["routed_to", "status"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=DistressStatus.values),
                                   name="distressflag_status_valid"),
            models.CheckConstraint(
                condition=models.Q(status=DistressStatus.RAISED)
                | models.Q(acknowledged_at__isnull=False),
                name="distressflag_acknowledged_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Distress flag {self.pk}"

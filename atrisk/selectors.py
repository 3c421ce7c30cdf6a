"""Reads about at-risk reports, the duty rota and the disclosure register."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast

from accounts.constants import Role
from accounts.models import User
from atrisk.constants import OPEN_STATUSES, RegisterState
from atrisk.models import AtRiskReport, DutyRota, VitalInterestsDisclosure
from notifications.models import DueItem

ALERT_KIND = "at_risk_alert"
DISCLOSURE_KIND = "disclosure_recorded"


def alert_items_for(report: AtRiskReport) -> QuerySet[DueItem]:
    """The alert due items of ``report`` (one per senior alerted)."""
    return DueItem.objects.filter(
        kind=ALERT_KIND,
        target_type=ContentType.objects.get_for_model(AtRiskReport),
        target_id=str(report.pk),
    )


def reports_visible_to(user: User) -> QuerySet[AtRiskReport]:
    """The reports ``user`` may open: the same rule as ``atrisk.view_report``."""
    base = AtRiskReport.objects.select_related(
        "raised_by", "customer", "case_reference", "acknowledged_by"
    )
    if not user.is_authenticated or not user.role_names:
        return base.none()
    if user.has_role(Role.SENIOR_STAFF, Role.COMPLIANCE):
        return base
    alerted = DueItem.objects.filter(
        Q(recipient=user) | Q(escalated_to=user),
        kind=ALERT_KIND,
        target_type=ContentType.objects.get_for_model(AtRiskReport),
        target_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    return base.filter(Q(raised_by=user) | Exists(alerted))


def open_report_exists_for_contact(contact) -> bool:
    """Whether ``contact`` has an at-risk report still open (for the 11.2/11.3 banner)."""
    return AtRiskReport.objects.filter(contact=contact, status__in=OPEN_STATUSES).exists()


def seniors_on_duty(*, at: datetime) -> list[User]:
    """Active senior staff on the duty rota at ``at`` (11.2)."""
    shifts = (
        DutyRota.objects.filter(
            starts_at__lte=at, ends_at__gt=at, senior__is_active=True,
            senior__groups__name=Role.SENIOR_STAFF,
        )
        .select_related("senior")
        .order_by("starts_at", "id")
    )
    seen: dict[int, User] = {}
    for shift in shifts:
        seen.setdefault(shift.senior_id, shift.senior)
    return list(seen.values())


def senior_staff_group() -> QuerySet[User]:
    """Everyone in the Senior staff group who is active and not away."""
    return User.objects.filter(
        groups__name=Role.SENIOR_STAFF, is_active=True, is_away=False
    ).distinct()


def duty_rota(*, now: datetime) -> QuerySet[DutyRota]:
    """Current and future duty shifts, soonest first."""
    return DutyRota.objects.filter(ends_at__gt=now).select_related("senior")


def disclosures_for_register(
    *,
    date_from=None,
    date_to=None,
    recipient_type: str = "",
    state: str = "",
) -> QuerySet[VitalInterestsDisclosure]:
    """The disclosure register (11.6), filtered by already-validated values."""
    qs = VitalInterestsDisclosure.objects.select_related(
        "report", "authorised_by", "recorded_by", "registered_by"
    )
    if date_from:
        qs = qs.filter(disclosed_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(disclosed_at__date__lte=date_to)
    if recipient_type:
        qs = qs.filter(recipient_type=recipient_type)
    if state == RegisterState.RECORDED:
        qs = qs.filter(registered_at__isnull=False)
    elif state == RegisterState.NOT_RECORDED:
        qs = qs.filter(registered_at__isnull=True)
    return qs

"""Reads for welfare records."""

from django.db.models import QuerySet

from welfare.constants import DistressStatus, FollowUpStatus
from welfare.models import DistressFlag, WelfareFollowUp


def follow_ups_to_hold(manager) -> QuerySet[WelfareFollowUp]:
    """Welfare meetings ``manager`` is to hold, soonest due first (8.2, 14.2)."""
    return (
        WelfareFollowUp.objects.filter(manager=manager, status=FollowUpStatus.SCHEDULED)
        .select_related("staff")
        .order_by("due_at", "id")
    )


def follow_ups_about(staff) -> QuerySet[WelfareFollowUp]:
    """The staff member's own welfare follow-ups."""
    return WelfareFollowUp.objects.filter(staff=staff).select_related("manager")


def distress_flags_to_answer(manager) -> QuerySet[DistressFlag]:
    """Distress flags routed to ``manager`` and not yet acknowledged (2.2)."""
    return (
        DistressFlag.objects.filter(routed_to=manager, status=DistressStatus.RAISED)
        .select_related("staff")
        .order_by("raised_at", "id")
    )


def distress_flags_raised_by(staff) -> QuerySet[DistressFlag]:
    return DistressFlag.objects.filter(staff=staff).select_related("routed_to")


def follow_up_detail(pk: int) -> WelfareFollowUp:
    return WelfareFollowUp.objects.select_related(
        "staff", "manager", "contact", "completed_by").get(pk=pk)


def distress_detail(pk: int) -> DistressFlag:
    return DistressFlag.objects.select_related(
        "staff", "routed_to", "contact", "acknowledged_by").get(pk=pk)

"""Writes for staff welfare: follow-ups (8.2, 14.2) and distress flags (2.2)."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import first_available_manager
from audit.services import audit_record
from contacts.constants import Behaviour
from core import dates
from core.idempotency import idempotent
from core.permissions import require
from notifications.services import complete, schedule
from welfare.constants import (
    DISTRESS_TRANSITIONS,
    FOLLOW_UP_TRANSITIONS,
    KIND_DISTRESS_FLAG,
    KIND_WELFARE_FOLLOW_UP_DUE,
    DistressStatus,
    FollowUpReason,
    FollowUpStatus,
)
from welfare.models import DistressFlag, WelfareFollowUp

logger = logging.getLogger(__name__)

# 7.5.1 / 14.2: ending a contact for these behaviours always leads to a welfare meeting.
FOLLOW_UP_BEHAVIOURS = frozenset({Behaviour.OFFENSIVE, Behaviour.ABUSIVE})


def follow_up_key(follow_up: WelfareFollowUp) -> str:
    return f"welfare:follow-up:{follow_up.pk}"


def distress_key(flag: DistressFlag) -> str:
    return f"welfare:distress:{flag.pk}"


def welfare_follow_up_schedule(
    *, staff, contact=None, reason: str, actor,
) -> WelfareFollowUp | None:
    """Arrange a welfare meeting for ``staff`` with their manager (8.2, 14.2).

    Due within ``WELFARE_FOLLOW_UP_WORKING_DAYS`` working days; the due item escalates to the
    next manager up if it is not held. One follow-up per contact: asking again returns it.
    Returns None (and logs the staff id) if nobody above the staff member can hold it.
    """
    with transaction.atomic():
        if contact is not None:
            existing = WelfareFollowUp.objects.filter(contact=contact).first()
            if existing is not None:
                return existing
        manager = first_available_manager(staff) or staff.line_manager
        if manager is None:
            logger.warning("welfare follow-up not scheduled: staff_id=%s has no manager", staff.pk)
            return None
        follow_up = WelfareFollowUp.objects.create(
            staff=staff, manager=manager, contact=contact, reason=reason,
            due_at=dates.working_days_from_today(settings.WELFARE_FOLLOW_UP_WORKING_DAYS),
        )
        audit_record(actor=actor, action="welfarefollowup.scheduled", target=follow_up,
                     changes={"reason": reason, "manager": manager.pk, "staff": staff.pk})
        schedule(
            kind=KIND_WELFARE_FOLLOW_UP_DUE, key=follow_up_key(follow_up), recipient=manager,
            due_at=follow_up.due_at, target=follow_up,
            message=f"Hold welfare follow-up {follow_up.pk} with a member of your staff",
            link=reverse("welfare:follow_up_detail", args=[follow_up.pk]),
        )
    return follow_up


def welfare_follow_up_complete(
    *, follow_up: WelfareFollowUp, actor, held_on, effect_on_staff: str, support_offered: str,
    employee_assistance_referral: bool,
) -> WelfareFollowUp:
    """Record the welfare meeting as held (14.2) and stop its reminder."""
    require(actor, "welfare.complete_follow_up", follow_up,
            "Only the staff member's line manager, or a manager above them, can record the "
            "welfare meeting (14.2).")
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "The date of the meeting must be today or in the past."})
    with transaction.atomic():
        follow_up = WelfareFollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if FollowUpStatus.COMPLETED not in FOLLOW_UP_TRANSITIONS[follow_up.status]:
            raise ValidationError("This welfare follow-up has already been recorded as held.")
        follow_up.status = FollowUpStatus.COMPLETED
        follow_up.held_on = held_on
        follow_up.effect_on_staff = effect_on_staff
        follow_up.support_offered = support_offered
        follow_up.employee_assistance_referral = employee_assistance_referral
        follow_up.completed_at = timezone.now()
        follow_up.completed_by = actor
        follow_up.save(update_fields=[
            "status", "held_on", "effect_on_staff", "support_offered",
            "employee_assistance_referral", "completed_at", "completed_by",
        ])
        audit_record(actor=actor, action="welfarefollowup.completed", target=follow_up,
                     changes={"held_on": held_on.isoformat(),
                              "employee_assistance_referral": employee_assistance_referral})
        complete(key=follow_up_key(follow_up))
    return follow_up


def welfare_on_contact_ended(contact, actor) -> None:
    """``contact_ended`` provider: an offensive or abusive termination needs a follow-up."""
    if contact.terminated and contact.behaviour in FOLLOW_UP_BEHAVIOURS:
        welfare_follow_up_schedule(staff=contact.staff, contact=contact,
                                   reason=FollowUpReason.TERMINATION, actor=actor)


@idempotent("welfare.distress_flag_raise", actor="staff")
def distress_flag_raise(*, staff, contact=None, note: str = "") -> DistressFlag:
    """Tell the staff member's manager at once that they feel distressed (2.2).

    Goes to the line manager, or to the next manager up when the line manager is away.
    """
    require(staff, "welfare.raise_distress_flag", None, "Sign in as a member of staff.")
    if contact is not None and staff.pk not in (contact.staff_id, contact.taken_over_by_id):
        raise PermissionDenied("A distress flag can name only a contact you are handling.")
    manager = first_available_manager(staff)
    if manager is None:
        raise ValidationError(
            "There is no manager available to receive this. Speak to any senior manager now."
        )
    with transaction.atomic():
        flag = DistressFlag.objects.create(staff=staff, routed_to=manager, contact=contact,
                                           note=note)
        audit_record(actor=staff, action="distressflag.raised", target=flag,
                     changes={"routed_to": manager.pk,
                              "contact": contact.pk if contact else None})
        schedule(
            kind=KIND_DISTRESS_FLAG, key=distress_key(flag), recipient=manager,
            due_at=timezone.now(), target=flag,
            message=f"A member of your staff feels uncomfortable or distressed and needs "
                    f"to speak to you now (flag {flag.pk})",
            link=reverse("welfare:distress_detail", args=[flag.pk]),
        )
    return flag


def distress_flag_acknowledge(*, flag: DistressFlag, actor, action_taken: str) -> DistressFlag:
    """The manager records that they responded, and what they did (2.2, 14.1)."""
    require(actor, "welfare.acknowledge_distress_flag", flag,
            "Only the staff member's line manager, or a manager above them, can respond (2.2).")
    with transaction.atomic():
        flag = DistressFlag.objects.select_for_update().get(pk=flag.pk)
        if DistressStatus.ACKNOWLEDGED not in DISTRESS_TRANSITIONS[flag.status]:
            raise ValidationError("This has already been acknowledged.")
        flag.status = DistressStatus.ACKNOWLEDGED
        flag.acknowledged_at = timezone.now()
        flag.acknowledged_by = actor
        flag.action_taken = action_taken
        flag.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "action_taken"])
        audit_record(actor=actor, action="distressflag.acknowledged", target=flag)
        complete(key=distress_key(flag))
    return flag

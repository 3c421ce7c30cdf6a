"""Who heads a department, and who acts as its Head (7.2, 12.1): audited changes only.

A Head of Department must hold the Head of Department role. An acting Head is appointed for
a bounded time (from, until) with a reason and the name of whoever appointed them; while the
appointment runs they decide the department's requests and letters say "Acting Head of
Department". Only administrators make these changes, here, never by editing the row.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.constants import Role
from accounts.models import ActingHeadOfDepartment, Department, User
from audit.services import audit_record
from core.permissions import require

NOT_ADMIN = "Only an administrator can change who heads a department or acts as its Head."


@transaction.atomic
def department_head_set(*, department: Department, head: User | None, actor,
                        reason: str) -> Department:
    """Record ``head`` as the department's Head of Department (or none), with the reason."""
    require(actor, "accounts.manage_departments", department, NOT_ADMIN)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the change"})
    if head is not None and not (head.is_active and head.has_role(Role.HEAD_OF_DEPARTMENT)):
        raise ValidationError({"head": (
            f"{head} does not hold the Head of Department role. Give them the role first, "
            "or appoint them acting Head of Department for a set time.")})
    department = Department.objects.select_for_update().get(pk=department.pk)
    before = department.head_id
    department.head = head
    department.save(update_fields=["head"])
    audit_record(actor=actor, action="department.head_changed", target=department,
                 changes={"head": [before, head.pk if head else None], "reason": reason})
    return department


@transaction.atomic
def acting_head_appoint(*, department: Department, acting_head: User, actor,
                        starts_on: date, ends_on: date, reason: str) -> ActingHeadOfDepartment:
    """Appoint ``acting_head`` to act as the department's Head from ``starts_on`` to
    ``ends_on`` inclusive (at most ``ACCOUNTS_ACTING_HEAD_MAX_DAYS``)."""
    require(actor, "accounts.manage_departments", department, NOT_ADMIN)
    errors: dict[str, str] = {}
    longest = settings.ACCOUNTS_ACTING_HEAD_MAX_DAYS
    if not reason.strip():
        errors["reason"] = "Give the reason, for example the Head's leave"
    if not acting_head.is_active:
        errors["acting_head"] = "Choose a member of staff whose account is active"
    elif acting_head.pk == department.head_id:
        errors["acting_head"] = f"{acting_head} is already the Head of {department}"
    if starts_on < timezone.localdate():
        errors["starts_on"] = "The start date must be today or later"
    if ends_on < starts_on:
        errors["ends_on"] = "The end date must be on or after the start date"
    elif (ends_on - starts_on).days + 1 > longest:
        errors["ends_on"] = f"An acting appointment can last at most {longest} days"
    if errors:
        raise ValidationError(errors)
    appointment = ActingHeadOfDepartment.objects.create(
        department=department, acting_head=acting_head, appointed_by=actor,
        starts_on=starts_on, ends_on=ends_on, reason=reason.strip())
    audit_record(actor=actor, action="actingheadofdepartment.appointed", target=appointment,
                 changes={"department": department.pk, "acting_head": acting_head.pk,
                          "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()})
    return appointment


@transaction.atomic
def acting_head_end(*, appointment: ActingHeadOfDepartment, actor,
                    reason: str) -> ActingHeadOfDepartment:
    """End an acting appointment today, before its end date (from today it no longer runs)."""
    require(actor, "accounts.manage_departments", appointment.department, NOT_ADMIN)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for ending it early"})
    appointment = ActingHeadOfDepartment.objects.select_for_update().get(pk=appointment.pk)
    today = timezone.localdate()
    if appointment.ended_early_on is not None or appointment.ends_on < today:
        raise ValidationError("This acting appointment has already ended.")
    appointment.ended_early_on, appointment.ended_by = today, actor
    appointment.save(update_fields=["ended_early_on", "ended_by"])
    audit_record(actor=actor, action="actingheadofdepartment.ended", target=appointment,
                 changes={"ended_early_on": today.isoformat(), "reason": reason})
    return appointment

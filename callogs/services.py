"""Writes for terminated-call logs (8.1), their review (8.2) and manager intervention (14.2)."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record, changed_fields
from callogs.constants import KIND_CALLLOG_DRAFT, KIND_CALLLOG_SUBMITTED, LogStatus
from callogs.models import LogReview, TerminatedCallLog
from contacts.constants import ENDING_STEPS
from contacts.models import Contact
from core import dates, extensions
from core.permissions import require
from notifications.services import complete, schedule
from welfare.constants import FollowUpReason
from welfare.services import welfare_follow_up_schedule

EDITABLE_FIELDS = ["caller_name", "case_reference", "call_at", "reason", "staff_name"]


def submitted_key(log: TerminatedCallLog) -> str:
    """The due item of the log's latest giving to the manager (each resubmission after a
    return is a new one: issue 17)."""
    if not log.times_returned:
        return f"calllog:{log.pk}:submitted"
    return f"calllog:{log.pk}:submitted:{log.times_returned}"


def returned_key(log: TerminatedCallLog) -> str:
    """The author's reminder to amend and give back a log returned to them (issue 17)."""
    return f"calllog:{log.pk}:returned:{log.times_returned}"


def draft_key(log: TerminatedCallLog) -> str:
    return f"calllog:{log.pk}:draft"


def log_author_for(contact: Contact):
    """8.1: the log is written by whoever terminated the contact: after a take-over (14.2)
    the manager who ended it, not the caseworker who started it."""
    return contact.ended_by or contact.staff


def log_reviewer_for(log: TerminatedCallLog):
    """Who a submitted log goes to (8.1, 2.2): the author's line manager, or the next
    available manager up when they are away, who can review it (``callogs.review_log``);
    the line manager when everyone above is away too. ``None``: no line manager at all."""
    from accounts.selectors import first_available_who_may

    line_manager = log.author.line_manager
    if line_manager is None:
        return None
    return first_available_who_may(log.author, "callogs.review_log", log) or line_manager


def draft_escalate_to(item):
    """8.1: a draft still not given a working day after its reminder goes to the author's
    first available manager who can see it, to ask for it: only its author can give it."""
    from accounts.selectors import first_available_who_may

    log = item.target
    return None if log is None else first_available_who_may(log.author, "callogs.view_log", log)


def draft_reminder_due(now: datetime | None = None) -> datetime:
    """9:00 on the next working day (not a weekend or bank holiday), local time."""
    local = timezone.localtime(now or timezone.now())
    day = dates.add_working_days(local.date(), 1)
    return local.replace(year=day.year, month=day.month, day=day.day, hour=9, minute=0,
                         second=0, microsecond=0)


def _check_transition(log: TerminatedCallLog, to: str) -> None:
    if not log.can_transition_to(to):
        raise ValidationError(
            f"This log is {log.get_status_display().lower()}, so it cannot be "
            f"{LogStatus(to).label.lower()}."
        )


def log_reason_from_steps(contact: Contact) -> str:
    """8.1: the log's reason, prefilled with every recorded step of paragraph 7 and its note
    (7.4.1, 7.4.3, 7.4.5, 7.5.1 ...), in order, then how it ended; not only the last note."""
    lines = []
    for step in contact.steps.order_by("recorded_at", "id"):
        if step.step in ENDING_STEPS:
            continue  # said, with its note, in the termination reason below
        line = step.get_step_display()
        if step.customer_unhappy:
            line += " The customer said they were not happy with this approach."
        if step.note.strip():
            line += f" Note: {step.note.strip()}"
        lines.append(line)
    if contact.termination_reason.strip():
        lines.append(contact.termination_reason.strip())
    return "\n".join(lines)


def calllog_create_draft(*, contact: Contact, actor) -> TerminatedCallLog:
    """The draft log for a terminated contact, prefilled from it (8.1, appendix).

    Idempotent: a contact has one log, so asking again returns the existing one. Only the
    member of staff who terminated the contact may start it (``callogs.start_log``).
    """
    require(actor, "callogs.start_log", contact,
            "Only the member of staff who ended this contact writes its terminated-call log "
            "(8.1).")
    if not contact.terminated:
        raise ValidationError("Only a contact that was terminated needs a terminated-call log.")
    with transaction.atomic():
        existing = TerminatedCallLog.objects.filter(contact=contact).first()
        if existing is not None:
            return existing
        staff = log_author_for(contact)
        caller = contact.caller_name or (contact.customer.full_name if contact.customer else "")
        log = TerminatedCallLog.objects.create(
            contact=contact,
            author=staff,
            caller_name=caller,
            case_reference=contact.case_reference.reference if contact.case_reference else "",
            call_at=contact.started_at,
            reason=log_reason_from_steps(contact),
            staff_name=staff.full_name or staff.get_full_name(),  # 10.1: never a username
        )
        audit_record(actor=actor, action="terminatedcalllog.created", target=log,
                     changes={"contact": contact.pk, "author": staff.pk})
        schedule(kind=KIND_CALLLOG_DRAFT, key=draft_key(log), recipient=staff,
                 due_at=draft_reminder_due(), target=log,
                 message="Complete your terminated-call log and give it to your line manager",
                 link=reverse("callogs:log_edit", args=[log.pk]))
    return log


def calllog_on_contact_ended(contact: Contact, actor) -> None:
    """``contact_ended`` provider: a terminated contact gets its draft log at once (8.1)."""
    if contact.terminated:
        calllog_create_draft(contact=contact, actor=actor)


def calllog_update(
    *, log: TerminatedCallLog, actor, caller_name: str, case_reference: str,
    call_at: datetime, reason: str, staff_name: str,
) -> TerminatedCallLog:
    """Its author edits the log until it is given to the line manager."""
    with transaction.atomic():
        log = TerminatedCallLog.objects.select_for_update().get(pk=log.pk)
        if log.author_id != actor.pk:
            raise PermissionDenied("Only the author of this log can change it (8.1).")
        if not log.is_editable:
            raise ValidationError("This log has been given to your line manager and is now fixed.")
        if call_at > timezone.now():
            raise ValidationError({"call_at": "The date and time of the call must be in the past."})
        before = {name: getattr(log, name) for name in EDITABLE_FIELDS}
        log.caller_name = caller_name.strip()
        log.case_reference = case_reference.strip().upper()
        log.call_at = call_at
        log.reason = reason.strip()
        log.staff_name = staff_name.strip()
        log.save(update_fields=EDITABLE_FIELDS)
        audit_record(actor=actor, action="terminatedcalllog.updated", target=log,
                     changes=changed_fields(log, before, EDITABLE_FIELDS))
    return log


def calllog_submit(*, log: TerminatedCallLog, actor) -> TerminatedCallLog:
    """Give the log to the line manager (8.1): it reaches their inbox and email at once."""
    with transaction.atomic():
        log = TerminatedCallLog.objects.select_for_update().select_related("author").get(
            pk=log.pk)
        if log.author_id != actor.pk:
            raise PermissionDenied("Only the author of this log can give it to their line "
                                   "manager (8.1).")
        _check_transition(log, LogStatus.SUBMITTED)
        if not log.reason.strip():
            raise ValidationError({"reason": "Enter the reason for terminating the call."})
        if not log.staff_name.strip():
            raise ValidationError({"staff_name": "Enter your full name."})
        previous = log.status
        manager = log_reviewer_for(log)
        if manager is None:
            raise ValidationError(
                "You have no line manager recorded, so the log cannot be given to them. "
                "Ask an administrator to record your line manager."
            )
        log.status = LogStatus.SUBMITTED
        log.submitted_at = timezone.now()
        log.received_by = manager  # 8.1: the log says which manager received it
        log.save(update_fields=["status", "submitted_at", "received_by"])
        complete(key=draft_key(log))  # 8.1: given to the manager, so no more reminders
        if log.times_returned:
            complete(key=returned_key(log))  # issue 17: amended and given back
        audit_record(actor=actor, action="terminatedcalllog.submitted", target=log,
                     changes={"status": [previous, LogStatus.SUBMITTED],
                              "line_manager": manager.pk})
        again = " again, amended," if log.times_returned else ""
        schedule(
            kind=KIND_CALLLOG_SUBMITTED, key=submitted_key(log), recipient=manager,
            due_at=timezone.now(), target=log,
            message=f"Terminated-call log {log.pk} has been given to you{again} to discuss",
            link=reverse("callogs:review", args=[log.pk]),
        )
        extensions.publish("terminated_call_log.submitted", log)  # webhooks (api app)
    log.given_to = manager  # who received it (the next manager up when the line manager is away)
    return log


def calllog_place_in_case_file(*, log: TerminatedCallLog, actor) -> TerminatedCallLog:
    """Record that a printed copy was placed in the case file, and by whom (8.1)."""
    # The case-management system confirms receipt itself (api: a client with the cases scope).
    if not extensions.system_actor_may(actor, "case_files"):
        require(actor, "callogs.place_in_case_file", log,
                "Only the log's author or their line manager can file a copy in the case file.")
    with transaction.atomic():
        log = TerminatedCallLog.objects.select_for_update().get(pk=log.pk)
        if not log.case_reference:
            raise ValidationError("This log has no case reference, so there is no case file.")
        if log.is_editable:
            raise ValidationError("Give the log to your line manager before filing a copy.")
        if log.placed_in_case_file_at is not None or _has_case_file_copy(log):
            raise ValidationError("A copy of this log has already been placed in the case file.")
        log.placed_in_case_file_at = timezone.now()
        log.placed_in_case_file_by = actor
        log.save(update_fields=["placed_in_case_file_at", "placed_in_case_file_by"])
        audit_record(actor=actor, action="terminatedcalllog.placed_in_case_file", target=log,
                     changes={"case_reference": log.case_reference})
        # 8.1: the copy placed in the case file is kept as a PDF, exactly as filed.
        from documents.services import calllog_copy_store

        calllog_copy_store(log=log, actor=actor)
    return log


def _has_case_file_copy(log: TerminatedCallLog) -> bool:
    from django.contrib.contenttypes.models import ContentType

    from documents.models import StoredDocument

    return StoredDocument.objects.filter(
        source_type=ContentType.objects.get_for_model(log), source_id=log.pk).exists()


def calllog_return(*, log: TerminatedCallLog, actor, reason: str) -> TerminatedCallLog:
    """Issue 17: the reviewing manager returns a submitted log to its author to amend, saying
    what; the author is reminded (and, a working day later, their manager) until they give
    it back with ``calllog_submit``. Refused once a copy is in the case file (8.1): the
    filed copy must be the log as reviewed."""
    require(actor, "callogs.review_log", log,
            "Only the author's line manager, or a manager above them, can return this log "
            "to its author (8.2).")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say what the author should amend"})
    with transaction.atomic():
        log = TerminatedCallLog.objects.select_for_update().select_related("author").get(
            pk=log.pk)
        _check_transition(log, LogStatus.RETURNED)
        if log.placed_in_case_file_at is not None or _has_case_file_copy(log):
            raise ValidationError(
                "A copy of this log is already in the case file, so it cannot be returned "
                "for amendment: record your discussion instead (8.2).")
        complete(key=submitted_key(log))  # this giving is dealt with
        log.status = LogStatus.RETURNED
        log.returned_at, log.returned_by = timezone.now(), actor
        log.return_reason = reason.strip()
        log.times_returned += 1
        log.save(update_fields=["status", "returned_at", "returned_by", "return_reason",
                                "times_returned"])
        audit_record(actor=actor, action="terminatedcalllog.returned", target=log,
                     changes={"status": [LogStatus.SUBMITTED, LogStatus.RETURNED],
                              "reason": log.return_reason})
        schedule(kind=KIND_CALLLOG_DRAFT, key=returned_key(log), recipient=log.author,
                 due_at=timezone.now(), target=log,
                 message="Your terminated-call log was returned to you: amend it and give it "
                         "back to your line manager",
                 link=reverse("callogs:log_edit", args=[log.pk]))
    return log


def calllog_review(
    *, log: TerminatedCallLog, actor, discussed_on: date, staff_clear_about_circumstances: bool,
    effect_on_staff: str, advice_and_support: str, restriction_request_intended: bool,
    welfare_follow_up_requested: bool,
) -> LogReview:
    """The line manager records the discussion of the log with the staff member (8.2)."""
    if discussed_on > timezone.localdate():
        raise ValidationError({"discussed_on": "The date you discussed it must be today or "
                                               "in the past."})
    with transaction.atomic():
        log = TerminatedCallLog.objects.select_for_update().select_related(
            "author", "contact").get(pk=log.pk)
        require(actor, "callogs.review_log", log,
                "Only the author's line manager, or a manager above them, can record the "
                "discussion of this log (8.2).")
        _check_transition(log, LogStatus.REVIEWED)
        review = LogReview.objects.create(
            log=log, reviewer=actor, discussed_on=discussed_on,
            staff_clear_about_circumstances=staff_clear_about_circumstances,
            effect_on_staff=effect_on_staff, advice_and_support=advice_and_support,
            restriction_request_intended=restriction_request_intended,
            welfare_follow_up_requested=welfare_follow_up_requested,
        )
        log.status = LogStatus.REVIEWED
        log.reviewed_at = review.reviewed_at
        log.save(update_fields=["status", "reviewed_at"])
        audit_record(actor=actor, action="terminatedcalllog.reviewed", target=log, changes={
            "status": [LogStatus.SUBMITTED, LogStatus.REVIEWED],
            "restriction_request_intended": restriction_request_intended,
            "welfare_follow_up_requested": welfare_follow_up_requested,
        })
        complete(key=submitted_key(log))
        if welfare_follow_up_requested:
            welfare_follow_up_schedule(staff=log.author, contact=log.contact,
                                       reason=FollowUpReason.REVIEW, actor=actor)
    return review


def contact_take_over(*, contact: Contact, actor) -> Contact:
    """A manager above the staff member takes control of a live contact (14.1, 14.2)."""
    with transaction.atomic():
        contact = Contact.objects.select_for_update().select_related("staff").get(pk=contact.pk)
        if not actor.has_perm("callogs.take_over_contact", contact):
            raise PermissionDenied
        if not contact.is_live:
            raise ValidationError("This contact has ended, so it cannot be taken over.")
        if contact.taken_over_by_id is not None:
            raise ValidationError("A manager has already taken control of this contact.")
        contact.taken_over_by = actor
        contact.taken_over_at = timezone.now()
        contact.save(update_fields=["taken_over_by", "taken_over_at"])
        audit_record(actor=actor, action="contact.taken_over", target=contact,
                     changes={"staff": contact.staff_id})
    return contact


def calllog_follow_contact_correction(contact, actor, changes) -> None:
    """Issue 17: a corrected case reference reaches the contact's log while its author can
    still edit it (a draft, or returned to amend) and it still holds the old copy; a log
    already given to the manager keeps what its author gave (8.1), and a log whose author
    typed another reference keeps theirs."""
    if "case_reference" not in changes:
        return
    before, after = changes["case_reference"]
    TerminatedCallLog.objects.filter(
        contact=contact, status__in=[LogStatus.DRAFT, LogStatus.RETURNED],
        case_reference=before).update(case_reference=after)

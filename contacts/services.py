"""Writes for contacts: logging, classification, the guided steps of paragraph 7, callbacks,
escalation requests (9.1), withheld names (10.1) and persistent contact (7.2).

Each function checks the procedure's rule, writes inside a transaction with the audit row,
and schedules any due item. A rule breach raises ``ValidationError`` with a plain message.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.rules import is_manager
from accounts.selectors import first_available_manager, manager_chain
from audit.services import audit_record, changed_fields
from contacts.constants import (
    BEHAVIOUR_RANK,
    CALLBACK_WITHIN_HOURS,
    ENDING_STEPS,
    EXCEPTIONAL_ENDINGS,
    LIVE_CHANNELS,
    OFFENSIVE_SEQUENCE,
    WRITTEN_CHANNELS,
    Behaviour,
    CallbackStatus,
    Channel,
    Ending,
    EscalationOutcome,
    FlagStatus,
    HandlingStepKind,
    NameGivenForm,
    ReviewStatus,
    is_move_allowed,
)
from contacts.models import (
    BehaviourChange,
    Callback,
    CaseReference,
    Contact,
    Customer,
    EscalationRequest,
    HandlingStep,
    NameGiven,
    NameWithheld,
    PersistentContactFlag,
    PersistentContactSuggestion,
    SuggestedWords,
    WrittenCommentReview,
)
from core import extensions
from core.idempotency import idempotent
from core.permissions import require
from notifications.services import complete, schedule


def _lock(contact: Contact) -> Contact:
    return Contact.objects.select_for_update(of=("self",)).select_related(
        "customer", "staff").get(pk=contact.pk)


def _require_live(contact: Contact) -> None:
    if not contact.is_live:
        raise ValidationError("This contact has already ended, so it cannot be changed.")


def _manager_for(staff) -> object:
    manager = first_available_manager(staff)
    if manager is None:
        raise ValidationError(
            "You have no line manager available to receive this. Ask an administrator to "
            "set your line manager.")
    return manager


def case_reference_resolve(*, text: str, customer: Customer | None) -> CaseReference | None:
    """The case reference typed on a form: it must exist and, for a known customer, be theirs."""
    text = (text or "").strip().upper()
    if not text:
        return None
    case = CaseReference.objects.filter(reference=text).first()
    if case is None:
        raise ValidationError({"case_reference": f"There is no case with the reference {text}"})
    if customer is not None and case.customer_id != customer.pk:
        raise ValidationError(
            {"case_reference": f"Case {text} does not belong to this customer"})
    return case


class ChannelWarningNotAcknowledgedError(ValidationError):
    """12.3: the customer's terms say not to deal with them on this channel, and the member
    of staff has not yet confirmed they read what to do instead. ``warnings`` says it."""

    def __init__(self, warnings: list[str]):
        self.warnings = list(warnings)
        super().__init__({"warning_acknowledged": [
            "Read what this customer's terms say about this channel, then confirm you will "
            "handle the contact as they say (12.3)"]})


@idempotent("contacts.contact_log")
def contact_log(
    *,
    actor,
    customer: Customer | None,
    caller_name: str = "",
    case_reference: str = "",
    channel: str,
    direction: str,
    started_at: datetime,
    summary: str = "",
    warnings_acknowledged: bool = False,
    on_warning: str = "refuse",
) -> Contact:
    """Log a call, email, letter, visit or web form, for a customer or an unknown caller.

    12.3: when the customer's terms forbid ``channel`` (``channel_warnings``), a member of
    staff starting the contact must first acknowledge the warning: without
    ``warnings_acknowledged`` the service refuses with ``ChannelWarningNotAcknowledgedError``
    (carrying the warnings to show). ``on_warning="record"`` is for a contact the customer
    started that a system records as it happens (an inbound call from telephony, whose
    screen pop shows the warning): it is logged, and the audit row says a warning applied.
    """
    require(actor, "contacts.log_contact", customer,
            "Only caseworkers and managers log contacts with customers.")
    if on_warning not in ("refuse", "record"):
        raise ValueError("on_warning must be 'refuse' or 'record'")
    warnings = channel_warnings(customer=customer, channel=channel)
    if warnings and on_warning == "refuse" and not warnings_acknowledged:
        raise ChannelWarningNotAcknowledgedError(warnings)
    if started_at > timezone.now() + timedelta(seconds=60):
        raise ValidationError({"started_at": "The start time must not be in the future"})
    if customer is None and not caller_name.strip():
        raise ValidationError({"caller_name": "Enter the name the caller gave"})
    with transaction.atomic():
        case = case_reference_resolve(text=case_reference, customer=customer)
        contact = Contact.objects.create(
            customer=customer, caller_name=caller_name.strip() if customer is None else "",
            case_reference=case, channel=channel, direction=direction,
            started_at=started_at, staff=actor, summary=summary,
        )
        audit_record(actor=actor, action="contact.logged", target=contact,
                     changes={"channel": channel, "customer": customer and customer.pk,
                              "channel_warnings": len(warnings),
                              "warnings_acknowledged": bool(warnings) and warnings_acknowledged})
        persistent_check(contact=contact, actor=actor)
        for provider in extensions.contact_logged:
            provider(contact, actor)
    return contact


def channel_warnings(*, customer: Customer | None, channel: str) -> list[str]:
    """12.3: what other apps say about contacting this customer on ``channel``."""
    if customer is None or not channel:
        return []
    return [w for provider in extensions.channel_warnings if (w := provider(customer, channel))]


def needs_equality_prompt(customer: Customer | None) -> bool:
    """6.1: a recorded communication need, or an agreed adjustment from another app."""
    if customer is None:
        return False
    if customer.communication_needs.strip():
        return True
    return any(check(customer) for check in extensions.adjustment_checks)


def contact_classify(
    *,
    contact: Contact,
    actor,
    behaviour: str,
    equality_considered: bool = False,
    equality_note: str = "",
) -> BehaviourChange:
    """Classify the behaviour (5.2, 5.4, 5.5); a contact may only move up the scale. Persistent
    (5.3) is not a classification of one contact: the line manager deems it (7.2), so it is
    refused here and suggested with ``persistent_suggest``."""
    require(actor, "contacts.change_contact", contact,
            "Only the member of staff handling this contact, or a manager above them, can "
            "change it.")
    if behaviour not in BEHAVIOUR_RANK:
        raise ValidationError({"behaviour": "Select how you would describe the behaviour"})
    if behaviour == Behaviour.PERSISTENT:
        # 7.2: the line manager deems contact persistent; one contact is only a suggestion.
        raise ValidationError({"behaviour": (
            "Persistent contact is decided by your line manager, not by classifying one "
            "contact (7.2): suggest it to them instead, saying why")})
    with transaction.atomic():
        contact = _lock(contact)
        _require_live(contact)
        if not is_move_allowed(contact.behaviour, behaviour):
            current = Behaviour(contact.behaviour).label.lower()
            raise ValidationError({"behaviour": (
                f"This contact is already classified as {current}. A classification can only "
                "move up the scale; if the behaviour improved, say so in the summary.")})
        if needs_equality_prompt(contact.customer) and not equality_considered:
            raise ValidationError({"equality_considered": (
                "Confirm you have considered whether the customer's needs may explain this "
                "behaviour (6.1)")})
        change = BehaviourChange.objects.create(
            contact=contact, behaviour=behaviour, recorded_by=actor,
            equality_considered=equality_considered, equality_note=equality_note,
        )
        before = contact.behaviour
        contact.behaviour = behaviour
        contact.save(update_fields=["behaviour"])
        audit_record(actor=actor, action="contact.classified", target=contact,
                     changes={"behaviour": [before, behaviour]})
    return change


# Corrections (issue 17) ------------------------------------------------------------------


def correction_window_ends(contact: Contact) -> datetime | None:
    """When the handler can no longer correct ``contact`` themselves: ``None`` while it is
    live (it can be corrected until it ends), else ``CONTACTS_EDIT_WINDOW_HOURS`` after."""
    if contact.ended_at is None:
        return None
    return contact.ended_at + timedelta(hours=settings.CONTACTS_EDIT_WINDOW_HOURS)


def correction_window_open(contact: Contact, now: datetime | None = None) -> bool:
    ends = correction_window_ends(contact)
    return ends is None or (now or timezone.now()) <= ends


def _channel_conflict(contact: Contact, channel: str) -> str:
    """Why ``contact`` cannot be said to have been on ``channel`` given what is recorded."""
    live, written = channel in LIVE_CHANNELS, channel in WRITTEN_CHANNELS
    if not live and contact.ending in EXCEPTIONAL_ENDINGS:
        return (f"This contact ended as “{Ending(contact.ending).label}”, which only "
                "a telephone call or a visit can: it cannot be changed to a written channel")
    if not live and (NameGiven.objects.filter(contact=contact).exists()
                     or NameWithheld.objects.filter(contact=contact).exists()):
        return ("The name you gave on the call is recorded (10.1), which only a telephone "
                "call or a visit has: it cannot be changed to a written channel")
    if not written and WrittenCommentReview.objects.filter(contact=contact).exists():
        return ("Its written comments went to your line manager for review (7.6), so it "
                "stays a written contact")
    return ""


def contact_correct(
    *,
    contact: Contact,
    actor,
    reason: str,
    summary: str | None = None,
    case_reference: str | None = None,
    channel: str | None = None,
) -> Contact:
    """Correct a mistake in a contact's summary, case reference or channel (issue 17).

    Its handler may, until ``CONTACTS_EDIT_WINDOW_HOURS`` after it ended (while it is live,
    at any time); after that only their line manager. A reason is required, and the audit
    row keeps each changed field before and after. ``None`` leaves a field as it is.
    """
    hours = settings.CONTACTS_EDIT_WINDOW_HOURS
    require(actor, "contacts.correct_contact", contact, (
        f"Only the member of staff who handled this contact can correct it, up to {hours} "
        "hours after it ended; after that, ask their line manager to correct it."))
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why you are correcting the contact"})
    if channel is not None and channel not in Channel.values:
        raise ValidationError({"channel": "Select how the customer contacted us"})
    with transaction.atomic():
        contact = _lock(contact)
        before = {"summary": contact.summary, "channel": contact.channel,
                  "case_reference": str(contact.case_reference or "")}
        if summary is not None:
            contact.summary = summary.strip()
        if channel is not None and channel != contact.channel:
            refusal = next((why for check in extensions.channel_correction_refusals
                            if (why := check(contact))), None)
            if refusal:
                raise ValidationError({"channel": refusal})
            conflict = _channel_conflict(contact, channel)
            if conflict:
                raise ValidationError({"channel": conflict})
            contact.channel = channel
        if case_reference is not None:
            contact.case_reference = case_reference_resolve(text=case_reference,
                                                            customer=contact.customer)
        after = {"summary": contact.summary, "channel": contact.channel,
                 "case_reference": str(contact.case_reference or "")}
        changes = {name: [before[name], after[name]] for name in before
                   if before[name] != after[name]}
        if not changes:
            raise ValidationError(
                "You have not changed anything: change the summary, the case reference or "
                "the channel, or go back")
        contact.save(update_fields=["summary", "channel", "case_reference"])
        audit_record(actor=actor, action="contact.corrected", target=contact,
                     changes={**changes, "reason": reason.strip()})
        for listener in extensions.contact_corrected:
            listener(contact, actor, changes)
    return contact


def contact_reclassify_down(*, contact: Contact, actor, behaviour: str,
                            reason: str) -> BehaviourChange:
    """A manager above the member of staff moves the classification down (issue 17), with a
    reason, audited: e.g. abusive to offensive, offensive to difficult.

    Decided: persistence is never reached this way (7.2: the line manager deems it through
    the persistent-contact flag). A contact that a step has ended keeps at least the class
    that step needed: one ended at once for abuse or threats (7.5.1) stays abusive, and one
    ended after the steps of 7.4 stays at least offensive (difficult behaviour is tolerated,
    never ended: 7.3). A live or normally ended contact may move to any lower class.
    """
    require(actor, "contacts.reclassify_down", contact,
            "Only a manager above the member of staff who handled this contact can move its "
            "classification down.")
    if behaviour not in BEHAVIOUR_RANK:
        raise ValidationError({"behaviour": "Select the class the behaviour should have had"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the classification should be lower"})
    with transaction.atomic():
        contact = _lock(contact)
        current = contact.behaviour
        if not current:
            raise ValidationError("This contact has no classification to move down.")
        label = Behaviour(current).label.lower()
        if BEHAVIOUR_RANK[behaviour] >= BEHAVIOUR_RANK[current]:
            raise ValidationError({"behaviour": (
                f"Choose a class below {label}: to move a classification up, classify the "
                "contact")})
        if behaviour == Behaviour.PERSISTENT:
            raise ValidationError({"behaviour": (
                "Persistent contact is deemed by the line manager from the persistent-contact "
                "flag (7.2), not by reclassifying one contact")})
        ending = {s.step for s in contact.steps.all()} & ENDING_STEPS
        floor = (Behaviour.ABUSIVE if HandlingStepKind.ENDED_ABUSIVE in ending
                 else Behaviour.OFFENSIVE if ending else None)
        if floor is not None and BEHAVIOUR_RANK[behaviour] < BEHAVIOUR_RANK[floor]:
            why = ("it was ended at once for abusive or threatening behaviour (7.5.1), which "
                   "no lower class allows" if floor == Behaviour.ABUSIVE else
                   "it was ended after the steps of 7.4, and difficult behaviour is "
                   "tolerated, never ended (7.3)")
            raise ValidationError({"behaviour": (
                f"This contact cannot be moved down to "
                f"{Behaviour(behaviour).label.lower()}: {why}. Its termination and log stand.")})
        change = BehaviourChange.objects.create(
            contact=contact, behaviour=behaviour, recorded_by=actor,
            correction_reason=reason.strip())
        contact.behaviour = behaviour
        contact.save(update_fields=["behaviour"])
        audit_record(actor=actor, action="contact.reclassified_down", target=contact,
                     changes={"behaviour": [current, behaviour], "reason": reason.strip()})
    return change


def complaint_step_needed(steps) -> bool:
    """7.4.3: the complaint route is owed only "if the customer indicates that they are not
    happy with this approach", as recorded with the warning."""
    return any(s.step == HandlingStepKind.WARNED_WILL_END and s.customer_unhappy
               for s in steps)


def next_offensive_step(contact: Contact, steps) -> str | None:
    """The next step of 7.4 still owed (``steps``: the contact's recorded ``HandlingStep``
    rows), or None once the sequence is complete. "Told them how to complain" is owed only
    when the customer said they were unhappy with the warning (7.4.3)."""
    recorded = {s.step for s in steps}
    for step in OFFENSIVE_SEQUENCE:
        if step == HandlingStepKind.TOLD_COMPLAINT and not complaint_step_needed(steps):
            continue
        if step not in recorded:
            return step
    return None


def handling_step_record(
    *,
    contact: Contact,
    actor,
    step: str,
    note: str = "",
    explained: bool | None = None,
    customer_unhappy: bool | None = None,
) -> HandlingStep:
    """Record a guided step; the 7.4 steps only in order; an ending step ends the contact.

    The 7.4.3 warning records ``customer_unhappy``: whether the customer said they were not
    happy with this approach, which makes telling them how to complain the next step.
    """
    require(actor, "contacts.change_contact", contact,
            "Only the member of staff handling this contact, or a manager above them, can "
            "change it.")
    if step not in HandlingStepKind.values:
        raise ValidationError({"step": "Select a step"})
    with transaction.atomic():
        contact = _lock(contact)
        _require_live(contact)
        return _record_step(contact=contact, actor=actor, step=step, note=note,
                            explained=explained, customer_unhappy=customer_unhappy)


def _record_step(*, contact: Contact, actor, step: str, note: str, explained: bool | None,
                 customer_unhappy: bool | None = None) -> HandlingStep:
    """The checks and the write of one step, on a locked live contact."""
    steps = list(contact.steps.all())
    recorded = {s.step for s in steps}
    if step in recorded:
        raise ValidationError({"step": "You have already recorded this step"})
    label = HandlingStepKind(step).label
    rank = BEHAVIOUR_RANK.get(contact.behaviour, -1)
    if step in OFFENSIVE_SEQUENCE:
        if rank < BEHAVIOUR_RANK[Behaviour.OFFENSIVE]:
            raise ValidationError({"step": (
                "Classify the behaviour as offensive or insulting before recording the "
                "steps of 7.4")})
        expected = next_offensive_step(contact, steps)
        # 7.4.3: telling them how to complain is always allowed once they have been warned
        # (they may say later that they are unhappy), though owed only if they said so.
        optional_complaint = (step == HandlingStepKind.TOLD_COMPLAINT
                              and HandlingStepKind.WARNED_WILL_END in recorded)
        if step != expected and not optional_complaint:
            raise ValidationError({"step": (
                f"Record the steps of 7.4 in order: next is \u201c"
                f"{HandlingStepKind(expected).label}\u201d")})
    if step == HandlingStepKind.ENDED_ABUSIVE and contact.behaviour != Behaviour.ABUSIVE:
        raise ValidationError({"step": (
            "You may end a contact without the 7.4 steps only for abusive or threatening "
            "behaviour (7.5.1): classify it first")})
    if step == HandlingStepKind.TOLD_WILL_CONSULT and not contact.behaviour:
        raise ValidationError({"step": "Classify the behaviour first"})
    if step in ENDING_STEPS and explained is None:
        raise ValidationError({"explained": "Say whether you could explain why you ended "
                                            "the contact"})
    warning = step == HandlingStepKind.WARNED_WILL_END
    if warning and customer_unhappy is None:
        raise ValidationError({"customer_unhappy": (
            "Say whether the customer indicated they are not happy with this approach "
            "(7.4.3)")})
    handling = HandlingStep.objects.create(
        contact=contact, step=step, recorded_by=actor, note=note,
        explained=explained if step in ENDING_STEPS else None,
        customer_unhappy=customer_unhappy if warning else None,
    )
    audit_record(actor=actor, action="contact.step_recorded", target=contact,
                 changes={"step": step})
    if step in ENDING_STEPS:
        reason = f"{label}. " + ("The explanation was given." if explained else
                                 "The customer would not listen to the explanation.")
        _end(contact=contact, actor=actor, outcome="Ended for behaviour",
             ending=Ending.TERMINATED, termination_reason=f"{reason} {note}".strip())
    return handling


def termination_step_for(contact: Contact) -> str:
    """The step that may end ``contact`` because of behaviour now, or a refusal saying why.

    7.3: difficult behaviour is tolerated (consult, or call back), never ended; 7.2:
    persistent contact goes to the line manager; 7.4: offensive or insulting only after the
    explanation (7.4.1) and the warning (7.4.3), and the complaint route if the customer
    said they were unhappy; 7.5.1: abusive or threatening at once.
    """
    behaviour = contact.behaviour
    if behaviour == Behaviour.ABUSIVE:
        return HandlingStepKind.ENDED_ABUSIVE
    if behaviour == Behaviour.OFFENSIVE:
        expected = next_offensive_step(contact, list(contact.steps.all()))
        if expected != HandlingStepKind.ENDED_OFFENSIVE:
            raise ValidationError({"ending": (
                "Offensive or insulting behaviour may be ended only after the steps of 7.4: "
                f"next is \u201c{HandlingStepKind(expected).label}\u201d")})
        return HandlingStepKind.ENDED_OFFENSIVE
    if behaviour == Behaviour.DIFFICULT:
        raise ValidationError({"ending": (
            "Difficult behaviour is tolerated, not a reason to end the contact (7.3): tell "
            "the customer you need to consult someone and ask for advice, or arrange a "
            "callback within 24 hours")})
    if behaviour == Behaviour.PERSISTENT:
        raise ValidationError({"ending": (
            "Persistent contact is not ended on the call (7.2): record that it adds no new "
            "information so your line manager can consider it")})
    raise ValidationError({"ending": (
        "Classify the behaviour first: a contact is ended because of behaviour only when it "
        "is offensive or insulting (7.4) or abusive or threatening (7.5.1)")})


def _end(*, contact: Contact, actor, outcome: str, ending: str,
         termination_reason: str = "") -> None:
    terminated = ending == Ending.TERMINATED
    contact.ended_at = max(timezone.now(), contact.started_at)
    contact.outcome = (outcome or Ending(ending).label)[:40]
    contact.ending = ending
    contact.ended_by = actor  # 8.1: the log's author is whoever ended it (14.2 take-over)
    contact.terminated = terminated
    contact.termination_reason = termination_reason if terminated else ""
    contact.save(update_fields=["ended_at", "outcome", "ending", "ended_by", "terminated",
                                "termination_reason"])
    audit_record(actor=actor, action="contact.ended", target=contact,
                 changes={"ending": ending, "terminated": terminated})
    for provider in extensions.contact_ended:  # 8.1, 8.2, 14.2: inside this transaction
        provider(contact, actor)


def contact_end(
    *,
    contact: Contact,
    actor,
    ending: str = Ending.COMPLETED,
    outcome: str = "",
    note: str = "",
    explained: bool | None = None,
    summary: str | None = None,
) -> Contact:
    """End a contact: normally, exceptionally (the line dropped, the caller hung up), or
    because of behaviour, which only the procedure's steps allow (7.3-7.5, 8.1).

    ``note`` and ``explained`` go with a termination: they are its ending step's note and
    whether the explanation could be given (7.4.5, 7.5.1). Anything else goes in the summary.
    """
    require(actor, "contacts.change_contact", contact,
            "Only the member of staff handling this contact, or a manager above them, can "
            "change it.")
    if ending not in Ending.values:
        raise ValidationError({"ending": "Select how the contact ended"})
    with transaction.atomic():
        contact = _lock(contact)
        _require_live(contact)
        if ending in EXCEPTIONAL_ENDINGS and contact.channel not in LIVE_CHANNELS:
            raise ValidationError({"ending": (
                "Only a telephone call or a visit can drop or be ended by the customer; "
                "choose \u201cEnded normally\u201d")})
        if ending == Ending.TERMINATED:
            step = termination_step_for(contact)
            if explained is None:
                raise ValidationError({"explained": (
                    "Say whether you could explain why you ended the contact")})
        if summary is not None and summary != contact.summary:
            contact.summary = summary
            contact.save(update_fields=["summary"])
        if ending == Ending.TERMINATED:
            _record_step(contact=contact, actor=actor, step=step, note=note.strip(),
                         explained=explained)
        else:
            _end(contact=contact, actor=actor, outcome=outcome, ending=ending)
    return contact


def contact_mark_no_new_information(*, contact: Contact, actor) -> PersistentContactFlag | None:
    """7.2: the customer raised issues we have already addressed: consult the line manager."""
    require(actor, "contacts.change_contact", contact,
            "Only the member of staff handling this contact, or a manager above them, can "
            "change it.")
    with transaction.atomic():
        contact = _lock(contact)
        if contact.no_new_information:
            raise ValidationError("This contact is already marked as adding no new information")
        contact.no_new_information = True
        contact.save(update_fields=["no_new_information"])
        audit_record(actor=actor, action="contact.no_new_information", target=contact)
        return persistent_check(contact=contact, actor=actor)


def persistent_check(*, contact: Contact, actor) -> PersistentContactFlag | None:
    """7.2: flag a customer "contacting us repeatedly to cover the same or similar issues":
    ``CONTACTS_PERSISTENT_THRESHOLD`` contacts on the same issue within
    ``CONTACTS_PERSISTENT_WINDOW_DAYS``, or one marked as adding no new information.

    The same or similar issue (``_persistent_window``) is, for a contact with a case
    reference, the customer's contacts on that case; for a contact without one, the
    customer's other contacts without a case reference (a contact records no subject or
    issue category, so contacts not yet tied to a case are taken as one issue). Contacts
    with no case reference count too: they raise their own flag, one open per customer
    (``one_open_persistent_flag_without_case``), as a case's flag is one open per customer
    and case.
    """
    if contact.customer_id is None:
        return None
    recent = _persistent_window(contact)
    count = recent.count()
    where = "on this case" if contact.case_reference_id else "with no case reference"
    if contact.no_new_information:
        trigger = "A contact was marked as adding no new information (7.2)"
    elif count >= settings.CONTACTS_PERSISTENT_THRESHOLD:
        trigger = (f"{count} contacts {where} in "
                   f"{settings.CONTACTS_PERSISTENT_WINDOW_DAYS} days (7.2)")
    else:
        return None
    flag, _created = _raise_or_join_flag(contact=contact, actor=actor, trigger=trigger,
                                         recent=recent)
    return flag


def _persistent_window(contact: Contact):
    """The customer's contacts on the same or a similar issue as ``contact`` within the 7.2
    window: the same case reference, or, when ``contact`` has none, no case reference
    (``case_reference_id=None`` is ``IS NULL``)."""
    window = timedelta(days=settings.CONTACTS_PERSISTENT_WINDOW_DAYS)
    return Contact.objects.filter(
        customer_id=contact.customer_id, case_reference_id=contact.case_reference_id,
        started_at__gte=contact.started_at - window,
    )


def _open_flag(contact: Contact):
    return (PersistentContactFlag.objects.select_for_update()
            .filter(customer_id=contact.customer_id,
                    case_reference_id=contact.case_reference_id, status=FlagStatus.OPEN)
            .first())


def _raise_or_join_flag(*, contact: Contact, actor, trigger: str, recent
                        ) -> tuple[PersistentContactFlag | None, bool]:
    """The open flag for this customer and issue, raised (and sent to the line manager's
    inbox) if there is none, with ``recent`` added to it; ``(None, False)`` when nobody is
    available to receive a new one. The one open flag per customer and issue is kept by the
    database (a concurrent request that raised it first wins; this one joins it)."""
    flag = _open_flag(contact)
    created = flag is None
    if created:
        manager = first_available_manager(contact.staff)
        if manager is None:
            return None, False  # nobody to tell; the contacts stay visible on the customer page
        try:
            with transaction.atomic():  # a savepoint: a concurrent request may have won
                flag = PersistentContactFlag.objects.create(
                    customer_id=contact.customer_id,
                    case_reference_id=contact.case_reference_id,
                    manager=manager, staff=contact.staff, trigger=trigger,
                )
        except IntegrityError:
            flag = _open_flag(contact)
            _join_flag(flag, recent)
            return flag, False
        audit_record(actor=actor, action="persistentcontactflag.raised", target=flag,
                     changes={"trigger": trigger})
        schedule(kind="persistent_contact", key=f"persistent:{flag.pk}", recipient=manager,
                 due_at=timezone.now(), target=flag,
                 message=f"Possible persistent contact: flag {flag.pk} (7.2)",
                 link=reverse("contacts:flag_detail", args=[flag.pk]))
    _join_flag(flag, recent)
    return flag, created


def _join_flag(flag: PersistentContactFlag, recent) -> None:
    """Add the window's contacts to ``flag`` that it does not hold yet, in one statement:
    a persistent customer's window can hold hundreds of contacts, and reading each (as a
    model, then as an id checked against the flag's) cost most of logging a contact. No
    signal listens to the flag's contacts (``m2m_changed`` is not sent)."""
    through = PersistentContactFlag.contacts.through
    quote = connection.ops.quote_name
    window, params = recent.values_list("pk").order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(through._meta.db_table)}"  # noqa: S608 (names, compiled SQL)
            f" ({quote(through._meta.get_field('persistentcontactflag').column)},"
            f" {quote(through._meta.get_field('contact').column)})"
            # "WHERE TRUE": SQLite's parser needs it before an upsert's ON CONFLICT.
            f" SELECT %s, w.* FROM ({window}) w WHERE TRUE ON CONFLICT DO NOTHING",
            [flag.pk, *params])


@idempotent("contacts.persistent_suggest")
def persistent_suggest(*, contact: Contact, actor, reason: str) -> PersistentContactFlag:
    """7.2: suggest to the line manager that the customer's contact is persistent.

    Persistent behaviour is deemed by the line manager, never by a classification of one
    contact: the member of staff (or a manager above them) says why they think the customer
    keeps raising issues already addressed, and the suggestion raises the open flag for this
    customer and issue (to the first available line manager's inbox) or joins the one open
    already, with the customer's recent contacts on the same issue. Only the manager decides
    it (``persistent_flag_decide``).
    """
    require(actor, "contacts.change_contact", contact,
            "Only the member of staff handling this contact, or a manager above them, can "
            "suggest that it is persistent.")
    if contact.customer_id is None:
        raise ValidationError(
            "Link this contact to the customer first: persistent contact is about a "
            "customer's repeated contact (7.2).")
    if not reason.strip():
        raise ValidationError({"reason": (
            "Say why you think the customer keeps raising issues we have already addressed")})
    with transaction.atomic():
        contact = _lock(contact)
        recent = _persistent_window(contact)
        flag, _created = _raise_or_join_flag(
            contact=contact, actor=actor, recent=recent,
            trigger="A member of staff suggested the contact is persistent (7.2)")
        if flag is None:
            raise ValidationError(
                "You have no line manager available to receive this. Ask an administrator "
                "to set your line manager.")
        if flag.suggestions.filter(contact=contact).exists():
            raise ValidationError(
                "You have already suggested this contact is persistent: your line manager "
                "has it to decide.")
        suggestion = PersistentContactSuggestion.objects.create(
            flag=flag, contact=contact, suggested_by=actor, reason=reason.strip())
        flag.contacts.add(contact)
        audit_record(actor=actor, action="persistentcontactflag.suggested", target=flag,
                     changes={"contact": contact.pk, "suggestion": suggestion.pk})
    return flag


def persistent_flag_decide(*, flag: PersistentContactFlag, actor, decision: str,
                           reason: str) -> PersistentContactFlag:
    """7.2: the line manager dismisses the flag (with a reason), deems the contact persistent
    without restricting it (with the reason not to: "if their contact details are known, they
    can consider restricting"), or takes it to a restriction.

    "Consider restricting" (``FlagStatus.RESTRICTION``) does not restrict anything: the
    screen then opens a restriction request prefilled from the flag (its customer, contacts
    and reasons: ``restrictions.selectors.proposal_from_flag``), which a Head of Department
    decides (7.2, 12.1)."""
    require(actor, "contacts.decide_item", flag,
            "Only the line manager the flag was sent to, or a manager above the member of "
            "staff, can decide whether the contact is persistent (7.2).")
    if decision not in (FlagStatus.DISMISSED, FlagStatus.PERSISTENT, FlagStatus.RESTRICTION):
        raise ValidationError({"decision": "Select what you decided"})
    if decision == FlagStatus.DISMISSED and not reason.strip():
        raise ValidationError({"reason": "Give the reason for dismissing the flag"})
    if decision == FlagStatus.PERSISTENT and not reason.strip():
        raise ValidationError({"reason": "Give the reason for not restricting the contact"})
    with transaction.atomic():
        flag = PersistentContactFlag.objects.select_for_update().get(pk=flag.pk)
        if flag.status != FlagStatus.OPEN:
            raise ValidationError("This flag has already been decided")
        flag.status, flag.decision_reason = decision, reason.strip()
        flag.decided_at, flag.decided_by = timezone.now(), actor
        flag.save(update_fields=["status", "decision_reason", "decided_at", "decided_by"])
        audit_record(actor=actor, action=f"persistentcontactflag.{decision}", target=flag)
        complete(key=f"persistent:{flag.pk}")
    return flag


@idempotent("contacts.callback_arrange")
def callback_arrange(
    *,
    contact: Contact,
    actor,
    assigned_to,
    due_at: datetime,
    late_reason: str = "",
    is_escalation: bool = False,
) -> Callback:
    """7.3: arrange to call back within 24 hours (later only with a reason); 9.1 likewise."""
    require(actor, "contacts.change_contact", contact,
            "Only the member of staff handling this contact, or a manager above them, can "
            "change it.")
    now = timezone.now()
    if due_at <= now:
        raise ValidationError({"due_at": "The callback time must be in the future"})
    if (not is_escalation and due_at > now + timedelta(hours=CALLBACK_WITHIN_HOURS)
            and not late_reason.strip()):
        raise ValidationError({"late_reason": (
            "The callback is more than 24 hours away: give a reason, or choose an earlier "
            "time (7.3)")})
    if not assigned_to.is_active:
        raise ValidationError({"assigned_to": "Choose a colleague who is active"})
    with transaction.atomic():
        callback = Callback.objects.create(
            contact=contact, assigned_to=assigned_to, due_at=due_at,
            late_reason=late_reason.strip(), is_escalation=is_escalation, arranged_by=actor,
        )
        audit_record(actor=actor, action="callback.arranged", target=callback,
                     changes={"assigned_to": assigned_to.pk, "due_at": due_at.isoformat()})
        kind = "escalated_callback_due" if is_escalation else "callback_due"
        schedule(kind=kind, key=callback.due_key, recipient=assigned_to, due_at=due_at,
                 target=callback, message=f"Call back about contact {contact.pk}",
                 link=reverse("contacts:contact_detail", args=[contact.pk]))
    return callback


def escalated_callback_escalate_to(item):
    """9.1: an overdue callback given to a senior colleague goes to the first available
    manager of the member of staff whose contact it is (the caseworker's, not the senior's
    own), who can make it or mark it done; else up the senior's chain (issue 17)."""
    from accounts.selectors import first_available_who_may

    callback = item.target
    if callback is None:
        return None
    perm, exclude = "contacts.complete_callback", (callback.assigned_to_id,)
    return (first_available_who_may(callback.contact.staff, perm, callback, exclude=exclude)
            or first_available_who_may(callback.assigned_to, perm, callback, exclude=exclude))


def callback_mark_done(*, callback: Callback, actor, note: str = "") -> Callback:
    """The callback was made: complete its due item so it neither reminds nor escalates."""
    require(actor, "contacts.complete_callback", callback,
            "Only the colleague the callback was given to, or a manager above them or above "
            "the member of staff whose contact it is, can mark it done.")
    with transaction.atomic():
        callback = Callback.objects.select_for_update().get(pk=callback.pk)
        if callback.status == CallbackStatus.DONE:
            raise ValidationError("This callback is already marked as done")
        callback.status, callback.done_at, callback.done_note = (
            CallbackStatus.DONE, timezone.now(), note)
        callback.save(update_fields=["status", "done_at", "done_note"])
        audit_record(actor=actor, action="callback.done", target=callback)
        complete(key=callback.due_key)
    return callback


@idempotent("contacts.written_review_raise")
def written_review_raise(*, contact: Contact, actor, comments: str) -> WrittenCommentReview:
    """7.6: draw unacceptable written comments to the line manager to agree the reply."""
    require(actor, "contacts.change_contact", contact,
            "Only the member of staff handling this contact, or a manager above them, can "
            "change it.")
    if contact.channel not in WRITTEN_CHANNELS:
        raise ValidationError("Only written contacts (email, letter, web form) go for review")
    if not comments.strip():
        raise ValidationError({"comments": "Say which comments are unacceptable"})
    with transaction.atomic():
        contact = _lock(contact)
        if WrittenCommentReview.objects.filter(contact=contact).exists():
            raise ValidationError("This contact has already been sent for review")
        manager = _manager_for(contact.staff)
        review = WrittenCommentReview.objects.create(
            contact=contact, manager=manager, raised_by=actor, comments=comments.strip())
        audit_record(actor=actor, action="writtencommentreview.raised", target=review)
        schedule(kind="written_comments_review", key=f"written-review:{review.pk}",
                 recipient=manager, due_at=timezone.now(), target=review,
                 message=f"Agree a reply to written comments (contact {contact.pk})",
                 link=reverse("contacts:review_detail", args=[review.pk]))
    return review


def written_review_agree(*, review: WrittenCommentReview, actor,
                         agreed_reply: str) -> WrittenCommentReview:
    """7.6: the line manager records the reply agreed with the caseworker."""
    require(actor, "contacts.decide_item", review,
            "Only the line manager the comments were sent to, or a manager above the member "
            "of staff, can agree the reply (7.6).")
    if not agreed_reply.strip():
        raise ValidationError({"agreed_reply": "Enter the reply you agreed"})
    with transaction.atomic():
        review = WrittenCommentReview.objects.select_for_update().get(pk=review.pk)
        if review.status != ReviewStatus.OPEN:
            raise ValidationError("A reply has already been agreed")
        review.status, review.agreed_reply = ReviewStatus.AGREED, agreed_reply.strip()
        review.agreed_at, review.agreed_by = timezone.now(), actor
        review.save(update_fields=["status", "agreed_reply", "agreed_at", "agreed_by"])
        audit_record(actor=actor, action="writtencommentreview.agreed", target=review)
        complete(key=f"written-review:{review.pk}")
    return review


def _more_senior(colleague, actor) -> bool:
    """9.1: "a more senior member of staff": a manager (line manager, senior staff or Head of
    Department) or someone in ``actor``'s line-management chain above them."""
    return (colleague.pk != actor.pk
            and (is_manager.test(colleague)
                 or any(m.pk == colleague.pk for m in manager_chain(actor))))


def _check_senior(errors: dict, field: str, colleague, actor, missing: str) -> None:
    if colleague is None:
        errors[field] = missing
    elif not colleague.is_active:
        errors[field] = "Choose a colleague who is active"
    elif not _more_senior(colleague, actor):
        errors[field] = "Choose a more senior colleague: a manager or someone above you (9.1)"


@idempotent("contacts.escalation_record")
def escalation_record(
    *,
    contact: Contact,
    actor,
    outcome: str,
    discussed_with=None,
    senior_advice: str = "",
    why_escalation_helps: str = "",
    escalated_to=None,
    escalated_to_position: str = "",
    reason: str = "",
    callback_by=None,
    callback_at: datetime | None = None,
    time_agreed_with_them: bool = False,
    calendar_checked: bool = False,
) -> EscalationRequest:
    """9.1: record a request to speak to someone more senior, and what was done, while the
    contact is live.

    Customers are not escalated simply because they ask: escalating (a transfer, or a
    senior's callback) needs ``why_escalation_helps``. A transfer (``ESCALATED``) also needs
    the discussion with a more senior colleague first (``discussed_with``, who must be more
    senior, and their ``senior_advice``) and names the colleague the caller was passed to
    from the staff list (``escalated_to``, more senior too); the name and position told to
    the caller are their full name and job title, kept as told (``escalated_to_position``
    when no job title is recorded). A callback may be arranged because no senior is
    available now, so the discussion is recorded if there was one. Not escalating needs the
    reason.
    """
    require(actor, "contacts.change_contact", contact,
            "Only the member of staff handling this contact, or a manager above them, can "
            "change it.")
    errors: dict[str, str] = {}
    escalating = outcome in (EscalationOutcome.ESCALATED, EscalationOutcome.CALLBACK)
    if escalating and not why_escalation_helps.strip():
        errors["why_escalation_helps"] = (
            "Say why escalating would help resolve the matter more effectively (9.1)")
    if escalating and (outcome == EscalationOutcome.ESCALATED or discussed_with is not None):
        _check_senior(errors, "discussed_with", discussed_with, actor,
                      "Choose the more senior colleague you discussed it with (9.1)")
        if not senior_advice.strip():
            errors["senior_advice"] = "Enter the advice they gave you (9.1)"
    position = ""
    if outcome == EscalationOutcome.ESCALATED:
        _check_senior(errors, "escalated_to", escalated_to, actor,
                      "Choose the colleague you passed the caller to from the staff list")
        if escalated_to is not None:
            position = (escalated_to.job_title or escalated_to_position).strip()
            if not position:
                errors["escalated_to_position"] = (
                    "Enter the position you told the caller: no job title is recorded for "
                    "this colleague")
    elif outcome == EscalationOutcome.NOT_ESCALATED:
        if not reason.strip():
            errors["reason"] = "Give the reason for not escalating"
    elif outcome == EscalationOutcome.CALLBACK:
        _check_senior(errors, "callback_by", callback_by, actor,
                      "Choose the colleague who will call back")
        if callback_at is None:
            errors["callback_at"] = "Enter the time agreed for the callback"
        if not (time_agreed_with_them or calendar_checked):
            errors["time_agreed_with_them"] = (
                "Confirm you agreed the time with them or checked their calendar (9.1)")
    else:
        errors["outcome"] = "Select what happened"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contact = _lock(contact)
        _require_live(contact)
        callback = None
        if outcome == EscalationOutcome.CALLBACK:
            callback = callback_arrange(contact=contact, actor=actor, assigned_to=callback_by,
                                        due_at=callback_at, is_escalation=True)
        transfer = outcome == EscalationOutcome.ESCALATED
        request = EscalationRequest.objects.create(
            contact=contact, outcome=outcome,
            discussed_with=discussed_with if escalating else None,
            senior_advice=senior_advice.strip() if escalating else "",
            why_escalation_helps=why_escalation_helps.strip() if escalating else "",
            escalated_to=escalated_to if transfer else None,
            escalated_to_name=escalated_to.get_full_name() or escalated_to.username
            if transfer else "",
            escalated_to_position=position, reason=reason.strip(),
            callback=callback, time_agreed_with_them=time_agreed_with_them,
            calendar_checked=calendar_checked, recorded_by=actor,
        )
        audit_record(actor=actor, action="escalationrequest.recorded", target=request,
                     changes={"outcome": outcome,
                              "escalated_to": escalated_to.pk if transfer else None,
                              "discussed_with": discussed_with.pk if discussed_with and
                              escalating else None})
    return request


def _check_withheld(*, reason: str, customer_unhappy: bool, manager_name_given: bool,
                    complaint_procedure_given: bool) -> None:
    if not reason.strip():
        raise ValidationError({"reason": "Say why you gave only your first name"})
    if customer_unhappy and not (manager_name_given and complaint_procedure_given):
        raise ValidationError({"manager_name_given": (
            "The customer was unhappy: give them your line manager's full name and details of "
            "the service complaint procedure, then confirm both (10.1)")})


def _record_withheld(*, contact: Contact, actor, reason: str, customer_unhappy: bool,
                     manager_name_given: bool, complaint_procedure_given: bool) -> NameWithheld:
    """The write of a withheld name, on a locked contact: the line manager is told."""
    if NameWithheld.objects.filter(contact=contact).exists():
        raise ValidationError("A withheld name is already recorded for this contact")
    manager = _manager_for(contact.staff)
    record = NameWithheld.objects.create(
        contact=contact, reason=reason.strip(), customer_unhappy=customer_unhappy,
        manager_name_given=manager_name_given,
        complaint_procedure_given=complaint_procedure_given, recorded_by=actor,
    )
    audit_record(actor=actor, action="namewithheld.recorded", target=record)
    schedule(kind="name_withheld", key=f"name-withheld:{record.pk}", recipient=manager,
             due_at=timezone.now(), target=record,
             message=f"A member of staff gave only a first name on contact {contact.pk} (10.1)",
             link=reverse("contacts:contact_detail", args=[contact.pk]))
    return record


def name_given_default_department(actor) -> str:
    """The department a member of staff gives by default: the one on their staff record."""
    department = getattr(actor, "department", None)
    return department.name if department is not None else ""


@idempotent("contacts.name_given_record")
def name_given_record(
    *,
    contact: Contact,
    actor,
    given: str,
    department: str,
    reason: str = "",
    customer_unhappy: bool = False,
    manager_name_given: bool = False,
    complaint_procedure_given: bool = False,
) -> NameGiven:
    """10.1: record the name and department actually given on a live call or visit.

    "You should normally provide your full name and department over the telephone"; with
    good reason "only your first name and department", and then the reason goes to the line
    manager (``NameWithheld``, the existing flow). "Under no circumstances should a member
    of ICO staff refuse to provide any name": there is no "no name" choice, and the service
    refuses anything else. The name is the one on the actor's staff record (who gave it).
    """
    require(actor, "contacts.change_contact", contact,
            "Only the member of staff handling this contact, or a manager above them, can "
            "change it.")
    if contact.channel not in LIVE_CHANNELS:
        raise ValidationError(
            "Letters and emails always give your full name (10.1): a name is recorded here "
            "only for a telephone call or a visit")
    if given not in NameGivenForm.values:
        raise ValidationError({"given": (
            "Select the name you gave. Under no circumstances refuse to give any name (10.1): "
            "give at least your first name and department")})
    department = (department or "").strip()
    if not department:
        raise ValidationError({"department": "Enter the department you gave"})
    if given == NameGivenForm.FULL:
        name = actor.full_name
        if not name:
            raise ValidationError({"given": (
                "Your first and last name are not both recorded on your staff record, so the "
                "full name you gave cannot be recorded. Ask an administrator to add them.")})
    else:
        name = (actor.first_name or "").strip()
        if not name:
            raise ValidationError({"given": (
                "Your first name is not recorded on your staff record. Ask an administrator "
                "to add it.")})
        _check_withheld(reason=reason, customer_unhappy=customer_unhappy,
                        manager_name_given=manager_name_given,
                        complaint_procedure_given=complaint_procedure_given)
    with transaction.atomic():
        contact = _lock(contact)
        _require_live(contact)
        if NameGiven.objects.filter(contact=contact).exists():
            raise ValidationError("The name you gave is already recorded for this contact")
        record = NameGiven.objects.create(contact=contact, given=given, name=name,
                                          department=department, recorded_by=actor)
        audit_record(actor=actor, action="namegiven.recorded", target=record,
                     changes={"given": given})
        if given == NameGivenForm.FIRST_NAME:
            _record_withheld(contact=contact, actor=actor, reason=reason,
                             customer_unhappy=customer_unhappy,
                             manager_name_given=manager_name_given,
                             complaint_procedure_given=complaint_procedure_given)
    return record


def suggested_words_save(*, words: SuggestedWords, actor, text: str,
                         paragraph: str) -> SuggestedWords:
    """Issue 24: an Administrator changes what staff are offered to say at one step of a live
    call (7.3-7.5.1) and the paragraph it cites; audited with the words before and after."""
    require(actor, "contacts.manage_suggested_words", words,
            "Only an administrator can change the suggested words for a live call.")
    text, paragraph = text.strip(), paragraph.strip()
    errors = {}
    if not text:
        errors["words"] = "Enter the words to say"
    if not paragraph:
        errors["paragraph"] = "Enter the paragraph of the procedure the words come from"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = SuggestedWords.objects.select_for_update().get(pk=words.pk)
        before = {"words": row.words, "paragraph": row.paragraph}
        row.words, row.paragraph = text, paragraph
        row.save(update_fields=["words", "paragraph", "updated_at"])
        audit_record(actor=actor, action="suggestedwords.changed", target=row,
                     changes=changed_fields(row, before, ["words", "paragraph"]))
    return row

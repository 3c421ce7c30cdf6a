"""Every write about restrictions and adjustments (7.2, 12): request, decide, review.

Each service checks the rule, locks the row it changes, moves the state machine through
the one table in ``constants.TRANSITIONS``, keeps a ``RestrictionTransition`` and an audit
row in the same transaction, and schedules or closes the due items. A rule breach raises
``ValidationError`` with a plain-English message.
"""

import datetime as dt
from dataclasses import asdict, dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import heads_of, is_head_in_role
from audit.services import audit_record
from core import extensions
from core.idempotency import idempotent
from core.permissions import require
from notifications.services import cancel, complete, schedule
from restrictions import review_periods
from restrictions.constants import (
    ACTIVE,
    EDITABLE,
    TRANSITIONS,
    Action,
    Kind,
    Status,
    Term,
)
from restrictions.models import Restriction, RestrictionTransition
from restrictions.selectors import conflicts_for

PROPOSAL_FIELDS = (
    "grounds", "grounds_references", "terms", "phone_times", "call_length_minutes",
    "point_of_contact", "placed_on_file", "terms_notes", "need", "adjustments",
    "start_date", "review_date", "end_date",
)
TERM_FIELDS = ("terms", "phone_times", "call_length_minutes", "point_of_contact",
               "placed_on_file", "terms_notes", "need", "adjustments", "review_date",
               "end_date")


@dataclass
class Proposal:
    """What a requester proposes (7.2, 12.2); the decider may amend the terms."""

    start_date: date
    review_date: date | None = None
    end_date: date | None = None
    grounds: str = ""
    grounds_references: str = ""
    terms: list[str] = field(default_factory=list)
    phone_times: str = ""
    call_length_minutes: int | None = None
    point_of_contact: object = None
    placed_on_file: bool = False
    terms_notes: str = ""
    need: str = ""
    adjustments: list[str] = field(default_factory=list)


def _noun(restriction: Restriction) -> str:
    return "adjustment" if restriction.kind == Kind.ADJUSTMENT else "restriction"


def _label(restriction: Restriction) -> str:
    return "Adjustment" if restriction.kind == Kind.ADJUSTMENT else "Restriction"


def check_proposal(*, kind: str, proposal: Proposal) -> Proposal:
    """Check the terms and dates; fill in the default review date by kind (settings)."""
    errors: dict[str, str] = {}
    if kind == Kind.RESTRICTION:
        if not proposal.terms and not proposal.terms_notes.strip():
            errors["terms"] = "Choose at least one term, or describe the terms"
        if Term.PHONE_SET_TIMES in proposal.terms and not proposal.phone_times.strip():
            errors["phone_times"] = "Enter the times when the customer may telephone"
        if Term.CALL_LENGTH in proposal.terms and not proposal.call_length_minutes:
            errors["call_length_minutes"] = "Enter the longest a call may last, in minutes"
        if Term.SINGLE_POINT in proposal.terms and proposal.point_of_contact is None:
            errors["point_of_contact"] = "Choose the named point of contact"
        if Term.WRITTEN_ONLY in proposal.terms and Term.PHONE_SET_TIMES in proposal.terms:
            errors["terms"] = "Written contact only cannot go with telephone at set times"
    else:
        if not proposal.need.strip():
            errors["need"] = "Describe the customer's need, for example a hearing difficulty"
        if not proposal.adjustments and not proposal.terms_notes.strip():
            errors["adjustments"] = "Choose at least one adjustment, or describe them"
    if not proposal.grounds.strip():
        errors["grounds"] = "Enter the grounds for the request"
    if proposal.review_date is None:
        proposal.review_date = review_periods.default_review_date(kind, proposal.terms,
                                                         proposal.start_date)
    latest = review_periods.latest_review_date(kind, proposal.start_date)
    if proposal.review_date < proposal.start_date:
        errors["review_date"] = "The review date must be on or after the start date"
    elif proposal.review_date > latest:
        months = settings.RESTRICTIONS_MAX_REVIEW_MONTHS[kind]
        errors["review_date"] = (
            f"The review date must be no more than {months} months after the start date "
            f"(on or before {latest:%d/%m/%Y})")
    if proposal.end_date is not None and proposal.end_date < proposal.start_date:
        errors["end_date"] = "The end date must be on or after the start date"
    if errors:
        raise ValidationError(errors)
    return proposal


def _transition(restriction: Restriction, *, action: str, actor, reason: str = "",
                changes: dict | None = None, fields: tuple[str, ...] = ()) -> Restriction:
    """Move ``restriction`` (already locked) by ``action``, keeping who, when and why."""
    sources, target = TRANSITIONS[action]
    if restriction.status not in sources:
        raise ValidationError(
            f"This {_noun(restriction)} is {restriction.get_status_display().lower()}, so it "
            f"cannot be {Action(action).label.lower()} now.")
    before = restriction.status
    target = target or before  # None: the record stays where it is (VARY)
    restriction.status = target
    restriction.updated_at = timezone.now()
    restriction.save(update_fields=["status", "updated_at", *fields])
    RestrictionTransition.objects.create(
        restriction=restriction, action=action, from_status=before, to_status=target,
        actor=actor, reason=reason, changes=changes or {},
    )
    audit_record(actor=actor, action=f"restriction.{action}", target=restriction,
                 changes={"status": [before, target], **(changes or {})})
    extensions.publish(f"restriction.{action}", restriction)  # webhooks (api app)
    return restriction


def _lock(restriction: Restriction) -> Restriction:
    return Restriction.objects.select_for_update().get(pk=restriction.pk)


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _apply(restriction: Restriction, proposal: Proposal, names) -> dict:
    """Copy ``names`` from the proposal; return the ``{field: [old, new]}`` of changes."""
    changes = {}
    values = asdict(proposal) | {"point_of_contact": proposal.point_of_contact}
    for name in names:
        old, new = getattr(restriction, name), values[name]
        if _plain(old) != _plain(new):
            changes[name] = [_plain(old), _plain(new)]
            setattr(restriction, name, new)
    return changes


def deciders(restriction: Restriction) -> list:
    """Who may decide today: the Head of the requester's department (holding the role), then
    any acting Head appointed for today; never the requester (7.2, 12.1)."""
    return [person for person, _acting in heads_of(restriction.department)
            if person.pk != restriction.requested_by_id]


def _available_first(people: list) -> list:
    return sorted(people, key=lambda person: person.is_away)  # stable: Head first


def decider_escalate_to(item):
    """A decision or review left with one Head goes to another who can decide it (7.2,
    12.1): the department's acting Head when the Head has it, the Head when an acting Head
    has it (available ones first), never the requester. Nobody else today: not escalated,
    and the sweep tries again (an acting Head appointed meanwhile then receives it); a
    manager up the Head's chain cannot decide, so it never goes there."""
    restriction = item.target
    if restriction is None:
        return None
    others = [person for person in deciders(restriction) if person.pk != item.recipient_id]
    return next(iter(_available_first(others)), None)


def no_decider_message(restriction: Restriction) -> str:
    """Why nobody can decide the request, and who could: true in every case (7.2, 12.1)."""
    department = restriction.department
    if restriction.requested_by_id == department.head_id:
        return (f"You are the Head of Department of {department}, so you cannot decide your "
                "own request. It needs an acting Head of Department for "
                f"{department}: ask an administrator to appoint one (with the dates), then "
                "submit it again.")
    return (f"{department} has no Head of Department (holding that role) and no acting Head "
            "of Department today, so nobody can decide this request. Ask an administrator "
            "to record the Head, or to appoint an acting Head, then submit it again.")


def _link(restriction: Restriction) -> str:
    return reverse("restrictions:detail", args=[restriction.pk])


@transaction.atomic
@idempotent("restrictions.restriction_create", actor="requested_by")
def restriction_create(*, requested_by, customer, kind: str, proposal: Proposal,
                       grounds_contacts=(), submit: bool = False,
                       persistent_flag=None) -> Restriction:
    """A line manager asks for a restriction (7.2) or an adjustment (12.2).

    ``persistent_flag``: the persistent-contact flag the line manager decided to take to a
    restriction (7.2, "consider restricting"); the request is linked to it, once. Only
    someone who may decide that flag may start a request from it."""
    require(requested_by, "restrictions.request_for_customer", customer,
            "Only a line manager (or a manager above one) can ask for a restriction or an "
            "adjustment (7.2, 12.1).")
    if persistent_flag is not None:
        from contacts.constants import FlagStatus
        from contacts.models import PersistentContactFlag

        require(requested_by, "contacts.decide_item", persistent_flag,
                "Only the line manager the persistent-contact flag was sent to, or a manager "
                "above the member of staff, can start a restriction request from it (7.2).")
        persistent_flag = PersistentContactFlag.objects.select_for_update().get(
            pk=persistent_flag.pk)
        if persistent_flag.customer_id != customer.pk:
            raise ValidationError("That persistent-contact flag is about another customer.")
        if persistent_flag.status != FlagStatus.RESTRICTION:
            raise ValidationError("Decide the persistent-contact flag first: a restriction "
                                  "request is started from it only when you decide to "
                                  "consider restricting (7.2).")
        if persistent_flag.restriction_id is not None:
            raise ValidationError("A restriction request has already been started from this "
                                  "persistent-contact flag.")
        if kind != Kind.RESTRICTION:
            raise ValidationError("A persistent-contact flag leads to a restriction request, "
                                  "not an adjustment (7.2).")
    if requested_by.department_id is None:
        raise ValidationError("You are not in a department, so no Head of Department can "
                              "decide your request. Ask an administrator.")
    proposal = check_proposal(kind=kind, proposal=proposal)
    restriction = Restriction(customer=customer, kind=kind, requested_by=requested_by,
                              department_id=requested_by.department_id)
    _apply(restriction, proposal, PROPOSAL_FIELDS)
    restriction.save()
    restriction.grounds_contacts.set(grounds_contacts)
    RestrictionTransition.objects.create(
        restriction=restriction, action="create", from_status="", to_status=Status.DRAFT,
        actor=requested_by)
    audit_record(actor=requested_by, action="restriction.created", target=restriction,
                 changes={"kind": kind, "customer": customer.pk,
                          "persistent_flag": persistent_flag and persistent_flag.pk})
    if persistent_flag is not None:
        persistent_flag.restriction = restriction
        persistent_flag.save(update_fields=["restriction"])
    if submit:
        restriction = restriction_submit(restriction=restriction, actor=requested_by)
    return restriction


@transaction.atomic
def restriction_update(*, restriction: Restriction, actor, proposal: Proposal,
                       grounds_contacts=None) -> Restriction:
    """The requester changes a draft or a returned request."""
    restriction = _lock(restriction)
    require(actor, "restrictions.change_restriction", restriction,
            "Only the person who raised this request can change it.")
    if restriction.status not in EDITABLE:
        raise ValidationError("This request can no longer be changed: it has been "
                              f"{restriction.get_status_display().lower()}.")
    proposal = check_proposal(kind=restriction.kind, proposal=proposal)
    changes = _apply(restriction, proposal, PROPOSAL_FIELDS)
    restriction.updated_at = timezone.now()
    restriction.save(update_fields=[*changes, "updated_at"])
    if grounds_contacts is not None:
        restriction.grounds_contacts.set(grounds_contacts)
    audit_record(actor=actor, action="restriction.updated", target=restriction,
                 changes=changes)
    return restriction


@transaction.atomic
def restriction_submit(*, restriction: Restriction, actor) -> Restriction:
    """Send the request to the Head of Department (or acting Head) to decide (7.2, 12.1)."""
    restriction = _lock(restriction)
    require(actor, "restrictions.change_restriction", restriction,
            "Only the person who raised this request can submit it.")
    people = deciders(restriction)
    if not people:
        raise ValidationError(no_decider_message(restriction))
    restriction.submitted_at = timezone.now()
    _transition(restriction, action=Action.SUBMIT, actor=actor, fields=("submitted_at",))
    stamp = int(restriction.submitted_at.timestamp())
    recipient = _available_first(people)[0]
    schedule(kind="restriction_decision_needed", key=f"restriction:{restriction.pk}:decide:{stamp}",
             recipient=recipient, due_at=timezone.now(), target=restriction,
             message=f"{_label(restriction)} request {restriction.pk} needs your decision",
             link=reverse("restrictions:decide", args=[restriction.pk]))
    return restriction


def _close_decision_item(restriction: Restriction) -> None:
    if restriction.submitted_at:
        complete(key=f"restriction:{restriction.pk}:decide:"
                     f"{int(restriction.submitted_at.timestamp())}")


@transaction.atomic
def restriction_withdraw(*, restriction: Restriction, actor, reason: str = "") -> Restriction:
    restriction = _lock(restriction)
    require(actor, "restrictions.change_restriction", restriction,
            "Only the person who raised this request can withdraw it.")
    _transition(restriction, action=Action.WITHDRAW, actor=actor, reason=reason)
    if restriction.submitted_at:
        cancel(key=f"restriction:{restriction.pk}:decide:"
                   f"{int(restriction.submitted_at.timestamp())}")
    return restriction


def _check_decider(restriction: Restriction, actor) -> None:
    """7.2, 12.1: the Head of the requester's department (in the role) or its acting Head
    today; never the requester."""
    if actor is not None and actor.pk == restriction.requested_by_id:
        raise PermissionDenied("You raised this request, so someone else must decide it.")
    require(actor, "restrictions.decide_restriction", restriction,
            f"Only the Head of Department of {restriction.department} (the requester's "
            "department), or its acting Head of Department, can decide this.")


def _already_decided(restriction: Restriction) -> ValidationError:
    who = restriction.decided_by
    name = (who.get_full_name() or who.username) if who else "someone else"
    return ValidationError(
        f"This request has already been decided by {name}: it is now "
        f"{restriction.get_status_display().lower()}. Your decision was not saved.")


def _lock_for_decision(restriction: Restriction, actor) -> Restriction:
    restriction = Restriction.objects.select_for_update(of=("self",)).select_related(
        "department", "decided_by").get(pk=restriction.pk)
    _check_decider(restriction, actor)
    if restriction.status != Status.SUBMITTED:
        if restriction.decided_by_id is not None or restriction.status == Status.RETURNED:
            raise _already_decided(restriction)
        raise ValidationError(f"This request is {restriction.get_status_display().lower()}, "
                              "so it cannot be decided now.")
    return restriction


def _record_decision(restriction: Restriction, actor, reason: str) -> tuple[str, ...]:
    restriction.decided_by = actor
    restriction.decided_at = timezone.now()
    restriction.decision_reason = reason
    # 12.1: letters then say "Acting Head of Department"
    restriction.decided_as_acting = not is_head_in_role(actor, restriction.department)
    return ("decided_by", "decided_at", "decision_reason", "decided_as_acting")


def _notify_requester(restriction: Restriction, what: str) -> None:
    schedule(kind="restriction_decided",
             key=f"restriction:{restriction.pk}:decided:{restriction.status}:"
                 f"{int(timezone.now().timestamp())}",
             recipient=restriction.requested_by, due_at=timezone.now(), target=restriction,
             message=f"Your {_noun(restriction)} request {restriction.pk} was {what}",
             link=_link(restriction))


@transaction.atomic
def restriction_approve(*, restriction: Restriction, actor, reason: str = "",
                        amended: Proposal | None = None,
                        conflicts_acknowledged: bool = False) -> Restriction:
    """Approve, optionally amending the terms with a reason (7.2, 12.1, 12.2)."""
    restriction = _lock_for_decision(restriction, actor)
    changes = {}
    if amended is not None:
        amended.grounds = restriction.grounds
        amended.start_date = restriction.start_date
        check_proposal(kind=restriction.kind, proposal=amended)
        changes = _apply(restriction, amended, TERM_FIELDS)
        if changes and not reason.strip():
            raise ValidationError({"reason": "Give the reason for changing the terms"})
    conflicts = conflicts_for(restriction)
    if conflicts and not conflicts_acknowledged:
        raise ValidationError({"conflicts_acknowledged":
                               "Confirm you have considered the conflict with the customer's "
                               "other arrangements"})
    fields = _record_decision(restriction, actor, reason)
    _transition(restriction, action=Action.APPROVE, actor=actor, reason=reason,
                changes={"amended": changes, "conflicts": conflicts},
                fields=(*fields, *changes))
    _close_decision_item(restriction)
    _schedule_review(restriction)
    _notify_requester(restriction, "approved")
    return restriction


@transaction.atomic
def restriction_refuse(*, restriction: Restriction, actor, reason: str) -> Restriction:
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for refusing the request"})
    restriction = _lock_for_decision(restriction, actor)
    fields = _record_decision(restriction, actor, reason)
    _transition(restriction, action=Action.REFUSE, actor=actor, reason=reason, fields=fields)
    _close_decision_item(restriction)
    _notify_requester(restriction, "refused")
    return restriction


@transaction.atomic
def restriction_return(*, restriction: Restriction, actor, reason: str) -> Restriction:
    """Send the request back to its requester for more information."""
    if not reason.strip():
        raise ValidationError({"reason": "Say what more information you need"})
    restriction = _lock_for_decision(restriction, actor)
    _transition(restriction, action=Action.RETURN, actor=actor, reason=reason)
    _close_decision_item(restriction)
    _notify_requester(restriction, "returned for more information")
    return restriction


def _review_keys(restriction: Restriction) -> list[str]:
    base = f"restriction:{restriction.pk}:review:{restriction.review_date.isoformat()}"
    return [f"{base}:hod", f"{base}:requester"]


def _schedule_review(restriction: Restriction) -> None:
    """12: a due item before the review date for the Head of Department and the requester."""
    notice = dt.timedelta(days=settings.RESTRICTIONS_REVIEW_NOTICE_DAYS)
    day = max(restriction.review_date - notice, timezone.localdate())
    due_at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    due_at = max(due_at, timezone.now())
    people = deciders(restriction)
    message = (f"Review of {_noun(restriction)} {restriction.pk} due by "
               f"{restriction.review_date:%d/%m/%Y}")
    link = reverse("restrictions:review", args=[restriction.pk])
    hod_key, requester_key = _review_keys(restriction)
    if people:
        schedule(kind="restriction_review_due", key=hod_key,
                 recipient=_available_first(people)[0],
                 due_at=due_at, message=message, target=restriction, link=link)
    # The requester is told (a notice): only the Head or acting Head can review (12). Only a
    # requester who may ask for restrictions (a manager): not the Administrator who imported
    # the record with the register (issue 16), who does not deal with customers.
    if restriction.requested_by.has_perm("restrictions.request_for_customer",
                                         restriction.customer):
        schedule(kind="restriction_review_upcoming", key=requester_key,
                 recipient=restriction.requested_by, due_at=due_at, message=message,
                 target=restriction, link=_link(restriction))


def _close_review(restriction: Restriction, *, done: bool) -> None:
    for key in _review_keys(restriction):
        (complete if done else cancel)(key=key)


def _check_reviewer(restriction: Restriction, actor) -> None:
    if actor is None:
        return
    if actor.pk == restriction.requested_by_id:
        raise PermissionDenied("You raised this request, so someone else must review it.")
    require(actor, "restrictions.review_restriction", restriction,
            f"Only the Head of Department of {restriction.department} (the requester's "
            "department), or its acting Head of Department, can review this.")


@transaction.atomic
def restriction_start_review(*, restriction: Restriction, actor=None) -> Restriction:
    """The review date is near: the record is under review (still in force)."""
    restriction = _lock(restriction)
    _check_reviewer(restriction, actor)
    return _transition(restriction, action=Action.START_REVIEW, actor=actor,
                       reason="The review date is near.")


@transaction.atomic
def restriction_renew(*, restriction: Restriction, actor, review_date: date, reason: str,
                      end_date: date | None = None) -> Restriction:
    """Renew with a new review date and reasons (12); otherwise it lapses."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reasons for renewing"})
    restriction = _lock(restriction)
    _check_reviewer(restriction, actor)
    today = timezone.localdate()
    latest = review_periods.latest_review_date(restriction.kind, today)
    if review_date <= today or review_date > latest:
        months = settings.RESTRICTIONS_MAX_REVIEW_MONTHS[restriction.kind]
        raise ValidationError({"review_date": "The new review date must be after today and "
                               f"no more than {months} months away"})
    if end_date is not None and end_date < today:
        raise ValidationError({"end_date": "The end date must be today or later"})
    _close_review(restriction, done=True)
    old = restriction.review_date
    restriction.review_date, restriction.end_date = review_date, end_date
    _transition(restriction, action=Action.RENEW, actor=actor, reason=reason,
                changes={"review_date": [old.isoformat(), review_date.isoformat()]},
                fields=("review_date", "end_date"))
    _schedule_review(restriction)
    return restriction


@transaction.atomic
def restriction_lift(*, restriction: Restriction, actor, reason: str) -> Restriction:
    """End the restriction or adjustment now, with the reason (its reviewer)."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for lifting it"})
    restriction = _lock(restriction)
    _check_reviewer(restriction, actor)
    _transition(restriction, action=Action.LIFT, actor=actor, reason=reason)
    _close_review(restriction, done=False)
    return restriction


def involved_in_decision(restriction: Restriction) -> set[int]:
    """Everyone who requested or decided the original decision (or a renewal of it)."""
    people = {restriction.requested_by_id, restriction.decided_by_id}
    people |= set(restriction.transitions.filter(
        action__in=[Action.APPROVE, Action.RENEW, Action.REFUSE, Action.RETURN],
        actor__isnull=False).values_list("actor_id", flat=True))
    return {pk for pk in people if pk is not None}


def check_appeal_decider(appeal, actor) -> None:
    """Someone senior who did not make or request the original decision."""
    require(actor, "restrictions.decide_appeal", appeal.restriction,
            "An appeal must be decided by senior staff or a Head of Department.")
    if actor.pk in involved_in_decision(appeal.restriction):
        raise PermissionDenied("You requested or made the original decision, so someone "
                               "else must decide the appeal.")


def _lock_for_appeal(appeal, actor) -> Restriction:
    check_appeal_decider(appeal, actor)
    if appeal.outcome:
        raise ValidationError("This appeal has already been decided: "
                              f"{appeal.get_outcome_display().lower()}.")
    return _lock(appeal.restriction)


@transaction.atomic
def restriction_vary_on_appeal(*, appeal, actor, varied: Proposal,
                               reason: str) -> Restriction:
    """The appeal varies the terms: amended through the state machine (it stays in force)."""
    restriction = _lock_for_appeal(appeal, actor)
    varied.grounds, varied.start_date = restriction.grounds, restriction.start_date
    check_proposal(kind=restriction.kind, proposal=varied)
    changes = _apply(restriction, varied, TERM_FIELDS)
    if not changes:
        raise ValidationError({"outcome": "The varied terms are the same as before: change "
                               "them, or uphold the decision"})
    return _transition(restriction, action=Action.VARY, actor=actor,
                       reason=f"Varied on appeal: {reason}", changes={"varied": changes},
                       fields=tuple(changes))


@transaction.atomic
def restriction_overturn_on_appeal(*, appeal, actor, reason: str) -> Restriction:
    """The appeal overturns the decision: the restriction is lifted now."""
    restriction = _lock_for_appeal(appeal, actor)
    _transition(restriction, action=Action.OVERTURN, actor=actor,
                reason=f"Overturned on appeal: {reason}")
    _close_review(restriction, done=False)
    return restriction


@transaction.atomic
def restriction_expire(*, restriction: Restriction, actor=None,
                       reason: str = "Reached its review or end date without renewal."):
    """Let it expire: by the reviewer's decision, or by the beat once its date has passed."""
    restriction = _lock(restriction)
    _check_reviewer(restriction, actor)
    _transition(restriction, action=Action.EXPIRE, actor=actor, reason=reason)
    _close_review(restriction, done=actor is not None)
    return restriction


def restrictions_sweep(*, today: date | None = None) -> dict[str, int]:
    """Beat: expire what is past its end or review date; mark near reviews as under review."""
    today = today or timezone.localdate()
    lapsed = Restriction.objects.filter(status__in=sorted(ACTIVE)).filter(
        review_date__lt=today) | Restriction.objects.filter(
        status__in=sorted(ACTIVE), end_date__lt=today)
    expired = 0
    for pk in lapsed.values_list("pk", flat=True):
        try:
            restriction_expire(restriction=Restriction(pk=pk))
            expired += 1
        except ValidationError:
            continue  # someone else moved it meanwhile
    horizon = today + dt.timedelta(days=settings.RESTRICTIONS_REVIEW_NOTICE_DAYS)
    near = Restriction.objects.filter(
        status__in=[Status.APPROVED, Status.RENEWED], review_date__lte=horizon,
        review_date__gte=today)
    started = 0
    for pk in near.values_list("pk", flat=True):
        try:
            restriction_start_review(restriction=Restriction(pk=pk))
            started += 1
        except ValidationError:
            continue
    return {"expired": expired, "under_review": started}

"""Writes after the decision: telling the customer, appeals, further action (13), triage.

Kept apart from ``services.py`` (request, decision, review) so each module reads at once;
the same habits apply: keyword-only arguments, a transaction, a lock, an audit row.
"""

import datetime as dt
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from contacts import visibility
from core import dates
from core.idempotency import idempotent
from core.permissions import require
from notifications.services import schedule
from restrictions.constants import (
    ACTIVE,
    AppealOutcome,
    FurtherActionKind,
    Kind,
    TriageOutcome,
)
from restrictions.models import Appeal, FurtherAction, Restriction, TriageItem
from restrictions.selectors import in_force
from restrictions.services import (
    Proposal,
    check_appeal_decider,
    restriction_overturn_on_appeal,
    restriction_vary_on_appeal,
)

WRITTEN_CHANNELS = ("email", "letter", "web_form")


def _lock(restriction: Restriction) -> Restriction:
    return Restriction.objects.select_for_update().get(pk=restriction.pk)


def _check_told(restriction: Restriction) -> None:
    if restriction.status not in ACTIVE:
        raise ValidationError("Only a restriction or adjustment in force can be recorded as "
                              "told to the customer.")


@transaction.atomic
def restriction_letter_record(*, restriction: Restriction, actor, sent_on: date) -> Restriction:
    """The letter was sent: the customer was informed on ``sent_on``."""
    require(actor, "restrictions.record_letter", restriction,
            "Only the managers of this record can record the letter to the customer.")
    restriction = _lock(restriction)
    _check_told(restriction)
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": "The date the letter was sent must be today or "
                               "in the past"})
    restriction.letter_sent_on = restriction.informed_on = sent_on
    restriction.not_informed_reason, restriction.inform_check_on = "", None
    restriction.save(update_fields=["letter_sent_on", "informed_on", "not_informed_reason",
                                    "inform_check_on"])
    audit_record(actor=actor, action="restriction.letter_sent", target=restriction,
                 changes={"sent_on": sent_on.isoformat()})
    return restriction


@transaction.atomic
def restriction_inform_exception(*, restriction: Restriction, actor, reason: str,
                                 check_on: date) -> Restriction:
    """Telling the customer would itself create a risk: keep why, and when to check again."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason the customer is not told"})
    if check_on <= timezone.localdate():
        raise ValidationError({"check_on": "The date to check again must be in the future"})
    require(actor, "restrictions.record_letter", restriction,
            "Only the managers of this record can decide the customer is not told.")
    restriction = _lock(restriction)
    _check_told(restriction)
    restriction.not_informed_reason, restriction.inform_check_on = reason, check_on
    restriction.save(update_fields=["not_informed_reason", "inform_check_on"])
    audit_record(actor=actor, action="restriction.inform_exception", target=restriction,
                 changes={"check_on": check_on.isoformat()})
    schedule(kind="restriction_inform_check",
             key=f"restriction:{restriction.pk}:inform-check:{check_on.isoformat()}",
             recipient=restriction.requested_by,
             due_at=timezone.make_aware(dt.datetime.combine(check_on, dt.time(9, 0))),
             message=f"Check again whether the customer can be told of restriction "
             f"{restriction.pk}", target=restriction,
             link=reverse("restrictions:letter", args=[restriction.pk]))
    return restriction


def letter_date(restriction: Restriction) -> date:
    """The date the letter carries: the day it was recorded as sent, else today (printed now,
    and recorded as sent today)."""
    return restriction.letter_sent_on or timezone.localdate()


def appeal_deadline(restriction: Restriction, *, letter_on: date | None = None) -> date | None:
    """The last day to ask for a review: the window of working days from the letter's date
    ("within 20 working days of this letter"). ``None`` while no letter is recorded as sent:
    the window has not started, so an early request is never refused as late."""
    base = letter_on or restriction.letter_sent_on
    if base is None:
        return None
    return dates.add_working_days(base, settings.RESTRICTIONS_APPEAL_WINDOW_WORKING_DAYS)


@transaction.atomic
@idempotent("restrictions.appeal_record")
def appeal_record(*, restriction: Restriction, actor, received_on: date,
                  customer_grounds: str) -> Appeal:
    """The customer asks for the decision to be reviewed, within the window."""
    require(actor, "restrictions.record_appeal", restriction,
            "Only the managers of this restriction can record an appeal against it.")
    restriction = _lock(restriction)
    if restriction.kind != Kind.RESTRICTION or restriction.status not in ACTIVE:
        raise ValidationError("Only a restriction in force can be appealed.")
    if not customer_grounds.strip():
        raise ValidationError({"customer_grounds": "Enter what the customer says"})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "The date received must be today or earlier"})
    deadline = appeal_deadline(restriction)
    if deadline is not None and received_on > deadline:
        raise ValidationError({"received_on": (
            f"The request arrived after the window closed on {deadline:%d/%m/%Y} "
            f"({settings.RESTRICTIONS_APPEAL_WINDOW_WORKING_DAYS} working days). Tell the "
            "customer they can make a service complaint instead.")})
    if restriction.appeals.filter(outcome="").exists():
        raise ValidationError("This restriction already has an appeal waiting for a decision.")
    appeal = Appeal.objects.create(restriction=restriction, received_on=received_on,
                                   customer_grounds=customer_grounds, recorded_by=actor)
    audit_record(actor=actor, action="appeal.recorded", target=appeal,
                 changes={"restriction": restriction.pk})
    return appeal


@transaction.atomic
def appeal_decide(*, appeal: Appeal, actor, outcome: str, reason: str,
                  varied: Proposal | None = None) -> Appeal:
    """Uphold, vary or overturn the decision, with the reason."""
    appeal = (Appeal.objects.select_for_update(of=("self",)).select_related("restriction")
              .get(pk=appeal.pk))
    if appeal.outcome:
        raise ValidationError("This appeal has already been decided: "
                              f"{appeal.get_outcome_display().lower()}.")
    check_appeal_decider(appeal, actor)
    if outcome not in AppealOutcome.values:
        raise ValidationError({"outcome": "Choose the outcome"})
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the outcome"})
    if outcome == AppealOutcome.OVERTURNED:
        restriction_overturn_on_appeal(appeal=appeal, actor=actor, reason=reason)
    elif outcome == AppealOutcome.VARIED:
        if varied is None:
            raise ValidationError({"outcome": "Give the varied terms"})
        restriction_vary_on_appeal(appeal=appeal, actor=actor, varied=varied, reason=reason)
    appeal.outcome, appeal.reason = outcome, reason
    appeal.decided_by, appeal.decided_at = actor, timezone.now()
    appeal.save(update_fields=["outcome", "reason", "decided_by", "decided_at"])
    audit_record(actor=actor, action="appeal.decided", target=appeal,
                 changes={"outcome": outcome})
    return appeal


@transaction.atomic
@idempotent("restrictions.further_action_record")
def further_action_record(*, customer, actor, kind: str, reference: str, taken_on: date,
                          taken_by, notes: str = "",
                          restriction: Restriction | None = None) -> FurtherAction:
    """13: a report to the police or legal action, with its reference, date and who."""
    require(actor, "restrictions.record_further_action", customer,
            "Only a line manager (or a manager above one) can record further action (13).")
    if kind not in FurtherActionKind.values:
        raise ValidationError({"kind": "Choose police report or legal action"})
    if not reference.strip():
        raise ValidationError({"reference": "Enter the reference"})
    if taken_on > timezone.localdate():
        raise ValidationError({"taken_on": "The date must be today or in the past"})
    action = FurtherAction.objects.create(
        customer=customer, restriction=restriction, kind=kind, reference=reference,
        taken_on=taken_on, taken_by=taken_by, notes=notes, recorded_by=actor)
    audit_record(actor=actor, action="furtheraction.recorded", target=action,
                 changes={"kind": kind, "customer": customer.pk})
    return action


@transaction.atomic
def triage_item_create(*, contact) -> TriageItem | None:
    """Written contact from a customer whose restriction places it on file: triage it.

    Contacts call this when an inbound written contact (email, letter, web form) is logged
    or ended. Returns ``None`` when no restriction in force says "placed on file".
    Idempotent: one item per contact.
    """
    if (contact.customer_id is None or contact.channel not in WRITTEN_CHANNELS
            or contact.direction != "inbound"):
        return None
    restriction = (Restriction.objects.filter(
        in_force(timezone.localdate(contact.started_at)), customer_id=contact.customer_id,
        kind=Kind.RESTRICTION, placed_on_file=True).order_by("id").first())
    if restriction is None:
        return None
    item, created = TriageItem.objects.get_or_create(
        contact=contact, defaults={"restriction": restriction})
    if created:
        audit_record(actor=None, action="triageitem.created", target=item,
                     changes={"contact": contact.pk, "restriction": restriction.pk})
    return item


def on_contact_ended(contact, actor) -> None:
    """``core.extensions.contact_ended`` hook: triage written contact placed on file."""
    triage_item_create(contact=contact)


@transaction.atomic
def triage_sign_off(*, item: TriageItem, actor, outcome: str, no_new_information: bool,
                    no_safeguarding_concern: bool, note: str = "") -> TriageItem:
    """A member of staff signs off written contact before it is placed on file."""
    require(actor, "restrictions.triage", item,
            "Only customer-facing staff can sign off written contact.")
    item = TriageItem.objects.select_for_update().select_related("contact").get(pk=item.pk)
    # Signing off says the letter holds nothing new: only someone who may read it can say so
    # (contacts.visibility, the contact page's rule).
    if not visibility.may_see_contact(actor, item.contact):
        raise PermissionDenied(visibility.REFUSED)
    if item.signed_off_by_id is not None:
        raise ValidationError("This item has already been signed off.")
    if outcome == TriageOutcome.PLACED_ON_FILE:
        if not (no_new_information and no_safeguarding_concern):
            raise ValidationError({"no_new_information": (
                "To place it on file, confirm it holds no new information and no "
                "safeguarding concern; otherwise choose that it needs action")})
    elif outcome == TriageOutcome.NEEDS_ACTION:
        if not note.strip():
            raise ValidationError({"note": "Say what needs doing and who will do it"})
    else:
        raise ValidationError({"outcome": "Choose an outcome"})
    item.outcome, item.note = outcome, note
    item.signed_off_by, item.signed_off_at = actor, timezone.now()
    item.save(update_fields=["outcome", "note", "signed_off_by", "signed_off_at"])
    audit_record(actor=actor, action="triageitem.signed_off", target=item,
                 changes={"outcome": outcome})
    return item


"""Recording a restriction or reasonable adjustment already in force when an organisation's
existing register is imported (issue 16; ``contacts.importing``).

The decision was made before this service existed, by a Head of Department (7.2, 12.1), on
its decision date, with a review date (12). It is recorded as it stands: an approved record
whose decider is that member of staff and whose decision date is the one given, with a
``RestrictionTransition`` dated then and an audit row (``restriction.imported``) naming the
Administrator who imported it, the file and the row. The same rules as a decision made here
apply where they can be checked from the register: the terms or adjustments
(``check_proposal``, including the longest review period), a review date after the decision
date and not passed (only what is in force is imported), a decider who is not the requester,
and the 12.3 conflict rule: a restriction whose terms clash with an adjustment in force (or
imported on the same row) must be marked as considered (``conflicts_acknowledged``), as the
decider must when approving one here.

Re-importing the same row changes nothing: the values imported are kept on the transition,
and a row that matches them returns the record unchanged, whatever has happened to it since
(a renewal, a variation on appeal). A row that differs from what was imported is refused:
the record now lives in the service's own state machine (renew, vary, lift).
"""

import datetime as dt
from dataclasses import asdict, dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from core.permissions import require
from restrictions.constants import Action, Kind, Status
from restrictions.models import Restriction, RestrictionTransition
from restrictions.selectors import active_for_customer, conflicts_between
from restrictions.services import (
    PROPOSAL_FIELDS,
    Proposal,
    _apply,
    _schedule_review,
    check_proposal,
)

IMPORTED = "imported"  # the key of the transition's changes that marks an imported record


@dataclass
class ImportedDecision:
    """A decision already in force, as the register gives it."""

    kind: str
    decided_on: date
    decided_by: object  # a User
    review_date: date
    grounds: str = ""
    terms: list[str] = field(default_factory=list)
    phone_times: str = ""
    call_length_minutes: int | None = None
    point_of_contact: object = None
    terms_notes: str = ""
    need: str = ""
    adjustments: list[str] = field(default_factory=list)
    conflicts_acknowledged: bool = False

    def fingerprint(self) -> dict:
        """What the row said, in a form kept on the transition (compared on re-import)."""
        values = asdict(self) | {"decided_by": self.decided_by.pk,
                                 "point_of_contact": getattr(self.point_of_contact, "pk", None)}
        values.pop("conflicts_acknowledged")
        values["decided_on"] = self.decided_on.isoformat()
        values["review_date"] = self.review_date.isoformat()
        values["terms"], values["adjustments"] = sorted(self.terms), sorted(self.adjustments)
        return values


def _noun(kind: str) -> str:
    return "adjustment" if kind == Kind.ADJUSTMENT else "restriction"


def _check(decision: ImportedDecision, actor,
           others: list[Restriction]) -> tuple[Proposal, list[str]]:
    """The rules a decision made here follows, as far as the register can show them."""
    noun = _noun(decision.kind)
    today = timezone.localdate()
    if decision.decided_by.pk == actor.pk:
        # 7.2: the decider is never the requester; an imported record's requester is the
        # Administrator who imports it.
        raise ValidationError({f"{decision.kind}_decided_by": (
            "The decider cannot be the Administrator importing the file")})
    if decision.decided_by.department_id is None:
        raise ValidationError({f"{decision.kind}_decided_by": (
            f"{decision.decided_by.username} is in no department, so the {noun} cannot be "
            "given the department that decided it (ask an administrator to record it)")})
    if decision.decided_on > today:
        raise ValidationError({f"{decision.kind}_decided_on": (
            "The decision date must be today or in the past")})
    if decision.review_date <= decision.decided_on:
        raise ValidationError({f"{decision.kind}_review_date": (
            "The review date must be after the decision date")})
    if decision.review_date < today:
        raise ValidationError({f"{decision.kind}_review_date": (
            f"The review date {decision.review_date:%d/%m/%Y} has passed, so the {noun} is "
            "no longer in force: only records in force are imported (12)")})
    proposal = Proposal(
        start_date=decision.decided_on, review_date=decision.review_date,
        grounds=decision.grounds, terms=list(decision.terms),
        phone_times=decision.phone_times, call_length_minutes=decision.call_length_minutes,
        point_of_contact=decision.point_of_contact, terms_notes=decision.terms_notes,
        need=decision.need, adjustments=list(decision.adjustments))
    try:
        check_proposal(kind=decision.kind, proposal=proposal)
    except ValidationError as error:
        raise ValidationError({f"{decision.kind}_{name}": messages for name, messages
                               in error.message_dict.items()}) from error
    same = [o for o in others if o.kind == decision.kind]
    if same:
        raise ValidationError({decision.kind: (
            f"The customer already has {'an' if noun == 'adjustment' else 'a'} {noun} in "
            f"force ({_noun(same[0].kind)} {same[0].pk}): change that one in the service "
            "instead")})
    # 12.3: a restriction that clashes with an agreed adjustment is considered by the decider
    if decision.kind == Kind.RESTRICTION:
        conflicts = conflicts_between(
            decision.terms, [a for o in others if o.kind == Kind.ADJUSTMENT
                             for a in o.adjustments])
    else:
        conflicts = conflicts_between(
            [t for o in others if o.kind == Kind.RESTRICTION for t in o.terms],
            decision.adjustments)
    if conflicts and not decision.conflicts_acknowledged:
        raise ValidationError({"conflicts_acknowledged": (
            " ".join(conflicts) + " Put yes in conflicts_acknowledged once the decider has "
            "considered it (12.3)")})
    return proposal, conflicts


def _imported(customer, kind: str) -> RestrictionTransition | None:
    return (RestrictionTransition.objects.filter(
        restriction__customer=customer, restriction__kind=kind,
        changes__has_key=IMPORTED).select_related("restriction").order_by("id").first())


@transaction.atomic
def restriction_import(*, actor, customer, decision: ImportedDecision, file_name: str,
                       line: int) -> tuple[Restriction, bool]:
    """Record ``decision`` (in force) for ``customer``; ``(record, created)``.

    Administrators only, as the register import (``contacts.importing``); no superuser
    exemption. Idempotent: the same decision imported again returns the record unchanged.
    """
    require(actor, "restrictions.import_restriction", customer,
            "Only an Administrator can import restrictions and adjustments in force.")
    if decision.kind not in Kind.values:
        raise ValidationError("Choose a restriction or an adjustment")
    previous = _imported(customer, decision.kind)
    if previous is not None:
        if previous.changes[IMPORTED]["decision"] == decision.fingerprint():
            return previous.restriction, False
        source = previous.changes[IMPORTED]
        raise ValidationError({decision.kind: (
            f"This customer's {_noun(decision.kind)} was imported from {source['file']} "
            f"(line {source['line']}) with different details: it is now "
            f"{_noun(decision.kind)} {previous.restriction_id} in the service, so renew, vary "
            "or lift it there rather than importing it again")})
    others = active_for_customer(customer)
    proposal, conflicts = _check(decision, actor, others)
    decided_at = timezone.make_aware(dt.datetime.combine(decision.decided_on, dt.time(12, 0)))
    restriction = Restriction(
        customer=customer, kind=decision.kind, status=Status.APPROVED, requested_by=actor,
        department_id=decision.decided_by.department_id, submitted_at=decided_at,
        decided_by=decision.decided_by, decided_at=decided_at,
        decision_reason=f"Decided on {decision.decided_on:%d/%m/%Y}; imported from the "
        f"previous register ({file_name}, line {line})",
        created_at=timezone.now(), updated_at=timezone.now())
    _apply(restriction, proposal, PROPOSAL_FIELDS)
    restriction.save()
    source = {"file": file_name, "line": line, "by": actor.pk,
              "decision": decision.fingerprint()}
    # The decision as it was made: approved by its decider on its date (history, appeals:
    # whoever decided it cannot decide the appeal).
    RestrictionTransition.objects.create(
        restriction=restriction, action=Action.APPROVE, from_status=Status.SUBMITTED,
        to_status=Status.APPROVED, actor=decision.decided_by, occurred_at=decided_at,
        reason=restriction.decision_reason,
        changes={IMPORTED: source, "conflicts": conflicts})
    audit_record(actor=actor, action="restriction.imported", target=restriction,
                 changes={"import": {"file": file_name, "line": line},
                          "customer": customer.pk, "kind": decision.kind,
                          "decided_by": decision.decided_by.pk,
                          "decided_on": decision.decided_on.isoformat(),
                          "review_date": decision.review_date.isoformat(),
                          "conflicts": conflicts})
    _schedule_review(restriction)  # 12: the Head is reminded before the review date
    return restriction, True

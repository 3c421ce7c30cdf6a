"""Retention rules for restrictions, adjustments, appeals and further action (privacy.registry).

A restriction's grounds are kept for its retention period after it ends, then anonymised;
the record itself (dates, kind, status, department) stays so the in-force report counts the
same. A customer with an appeal awaiting a decision is held back from retention altogether,
as is one with a restriction in force (``restrictions.providers.retention_hold``).
"""

from django.db.models import Q

from contacts.retention import LAWFUL_BASIS, STAFF_LINK
from privacy.registry import ANONYMISE, RetentionRule, register, register_hold
from restrictions.providers import retention_hold

VIEW = ("restrictions.view_restriction", "restrictions.view_grounds")


def appeal_pending():
    """An appeal is awaiting a decision"""
    from restrictions.models import Appeal

    return Appeal.objects.filter(outcome="").values("restriction__customer_id")


register_hold(appeal_pending)
# Registered by RestrictionsConfig.ready; named here for the retention plan and the data map.
retention_hold.hold_label = "A restriction or adjustment is in force"


def _ended(cutoff) -> Q:
    # The last day in force is the earlier of review and end date (restrictions.models.UNTIL):
    # least(review, end) < cutoff exactly when either is.
    day = cutoff.date()
    return Q(review_date__lt=day) | Q(end_date__lt=day)


def _follows_restriction(model: str, fields: tuple[str, ...], purpose: str, kept: dict):
    register(RetentionRule(
        model=model, personal_fields=fields, period="restrictions", action=ANONYMISE,
        follows="restriction", customer="restriction__customer",
        starts="its restriction or adjustment ended", purpose=purpose,
        lawful_basis=LAWFUL_BASIS, seen_by=VIEW, kept=kept))


def _letters(restriction) -> list[dict]:
    if not restriction.letter_sent_on:
        return []
    return [{"sent_on": restriction.letter_sent_on,
             "about": f"{restriction.get_kind_display()} {restriction.pk} "
                      f"({restriction.get_status_display().lower()})",
             "terms": ", ".join(restriction.term_labels() or restriction.adjustment_labels())}]


def _reported_to(action) -> list[dict]:
    return [{"recipient": "The police" if action.kind == "police" else "The court (legal "
             "action)", "when": action.taken_on, "what": f"Reference {action.reference}",
             "basis": "Prevention or detection of crime; legal claims (13)"}]


def _further_action_source(action) -> str:
    from contacts.retention import _staff

    agency = "the police" if action.kind == "police" else "the court"
    return (f"entered by a member of staff ({_staff(action.taken_by)}), with {agency}'s "
            f"reference (another agency)")


register(RetentionRule(
    model="restrictions.Restriction", letters=_letters,
    personal_fields=("grounds", "phone_times", "terms_notes", "need", "decision_reason",
                     "not_informed_reason"),
    period="restrictions", action=ANONYMISE, anchor=_ended,
    starts="it ended (the earlier of its review and end dates)", customer="customer",
    purpose="Restrict contact or make reasonable adjustments, and tell staff (7.2, 12)",
    lawful_basis=LAWFUL_BASIS, seen_by=VIEW,
    kept={"requested_by": STAFF_LINK, "decided_by": STAFF_LINK,
          "point_of_contact": "the member of staff named as the single point of contact",
          "grounds_references": "numbers of other records (call logs, flags), no text"},
))
_follows_restriction("restrictions.RestrictionTransition", ("reason", "changes"),
                     "Show who moved the request through its decision and review (7.2, 12)",
                     {"actor": STAFF_LINK})
_follows_restriction("restrictions.Appeal", ("customer_grounds", "reason"),
                     "Review a decision when the customer asks (12)",
                     {"recorded_by": STAFF_LINK, "decided_by": STAFF_LINK})
_follows_restriction("restrictions.TriageItem", ("note",),
                     "Sign off written contact placed on file under a restriction (7.2)",
                     {"signed_off_by": STAFF_LINK})
register(RetentionRule(
    model="restrictions.FurtherAction", personal_fields=("notes",), recipients=_reported_to,
    record_source=_further_action_source,
    period="restrictions", action=ANONYMISE, anchor="taken_on", starts="the action was taken",
    customer="customer", purpose="Record a report to the police or legal action (13)",
    lawful_basis="Public task (Art. 6(1)(e)); criminal offence data under Art. 10 and DPA "
                 "2018 Sch. 1 para 10 (preventing or detecting unlawful acts)",
    seen_by=("restrictions.view_further_action",),
    kept={"reference": "the crime or claim reference, so the police or court record can be "
                       "found", "taken_by": STAFF_LINK, "recorded_by": STAFF_LINK},
))

"""Reads: what is in force for a customer, banners, conflicts, lookup badges and queues."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Case, CharField, IntegerField, Q, QuerySet, Value, When
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join

from accounts.selectors import departments_headed_by
from restrictions.constants import (
    ACTIVE,
    CONFLICTS,
    TERM_ALLOWED_CHANNELS,
    Adjustment,
    Kind,
    Status,
    Term,
)
from restrictions.models import Restriction, TriageItem

CHANNEL_LABELS = {
    "phone": "telephone", "email": "email", "letter": "letter", "in_person": "in person",
    "web_form": "web form",
}

# 12.3: how to handle the customer under each term, said plainly.
HOW_TO_HANDLE = {
    Term.WRITTEN_ONLY: "Do not deal with them by telephone or in person: explain politely "
    "that we will deal with them only in writing and ask them to write to us.",
    Term.EMAIL_ONLY: "Deal with them only by email: ask them to put what they need in an "
    "email.",
    Term.PHONE_SET_TIMES: "Take calls only at the set times; outside them, tell them when "
    "they can call and end the call politely.",
    Term.SINGLE_POINT: "Pass any contact to their named point of contact; do not deal "
    "with the substance yourself.",
    Term.CALL_LENGTH: "Tell them at the start of a call how long it can last and end it "
    "politely at the limit.",
    Term.NO_VISITS: "Do not meet them in person: offer telephone or written contact.",
}
PLACED_ON_FILE_HANDLING = (
    "Written contact that raises nothing new is placed on file without a reply, after a "
    "member of staff signs it off in the triage queue."
)
EQUALITY_PROMPT = (
    "6.1: this customer has a need that may affect how they communicate (for example, a "
    "customer who has difficulty hearing may speak with a raised voice). Consider it "
    "before deciding that their behaviour is difficult or unacceptable, and use the "
    "adjustments agreed."
)


def in_force(today: date | None = None) -> Q:
    """The condition for a record in force on ``today``: active status, inside its dates."""
    today = today or timezone.localdate()
    return (
        Q(status__in=sorted(ACTIVE), start_date__lte=today, review_date__gte=today)
        & (Q(end_date__isnull=True) | Q(end_date__gte=today))
    )


def active_for_customer(customer) -> list[Restriction]:
    """Restrictions and adjustments in force for ``customer`` (one query)."""
    return list(
        Restriction.objects.filter(in_force(), customer=customer)
        .select_related("point_of_contact").order_by("kind", "start_date", "id")
    )


def has_agreed_adjustment(customer) -> bool:
    """Whether ``customer`` has an agreed reasonable adjustment in force (6.1, 12.2)."""
    return Restriction.objects.filter(
        in_force(), customer=customer, kind=Kind.ADJUSTMENT).exists()


BADGES = {Kind.RESTRICTION: "Restricted contact", Kind.ADJUSTMENT: "Reasonable adjustment"}


def badge_rows(today: date | None = None) -> QuerySet:
    """(customer_id, badge, rank) for every record in force on ``today`` (12.3): the
    lookup's badges, restricted contact before a reasonable adjustment. The lookup reads
    these rows for a page's ids (``core.extensions.badges_for``) or, on PostgreSQL, inside
    its name search."""
    ranked = list(BADGES.items())
    return (
        Restriction.objects.filter(in_force(today))
        .annotate(
            badge=Case(*(When(kind=kind, then=Value(text)) for kind, text in ranked),
                       output_field=CharField()),
            rank=Case(*(When(kind=kind, then=Value(i)) for i, (kind, _) in enumerate(ranked)),
                      output_field=IntegerField()))
        .values_list("customer_id", "badge", "rank")
    )


def term_phrases(restriction: Restriction) -> list[str]:
    """The terms said plainly, e.g. "Single point of contact: Casey Walsh"."""
    phrases = []
    for term in restriction.terms:
        if term == Term.PHONE_SET_TIMES:
            phrases.append(f"Telephone only at set times: {restriction.phone_times}")
        elif term == Term.SINGLE_POINT and restriction.point_of_contact_id:
            poc = restriction.point_of_contact
            phrases.append(f"Single point of contact: {poc.get_full_name() or poc.username}")
        elif term == Term.CALL_LENGTH and restriction.call_length_minutes:
            phrases.append(f"Calls limited to {restriction.call_length_minutes} minutes")
        elif term in Term.values:
            phrases.append(Term(term).label)
    return phrases


def handling_steps(restriction: Restriction) -> list[str]:
    steps = [HOW_TO_HANDLE[t] for t in restriction.terms if t in HOW_TO_HANDLE]
    if restriction.placed_on_file:
        steps.append(PLACED_ON_FILE_HANDLING)
    return steps


def conflicts_between(restriction_terms: list[str], adjustments: list[str]) -> list[str]:
    """Messages for each restriction term that clashes with an adjustment (12.2)."""
    return [message for (term, adjustment), message in CONFLICTS.items()
            if term in restriction_terms and adjustment in adjustments]


def conflicts_for(restriction: Restriction, others: list[Restriction] | None = None) -> list[str]:
    """Clashes between ``restriction`` and the customer's other records in force."""
    if others is None:
        others = active_for_customer(restriction.customer)
    others = [o for o in others if o.pk != restriction.pk]
    if restriction.kind == Kind.RESTRICTION:
        agreed = [a for o in others if o.kind == Kind.ADJUSTMENT for a in o.adjustments]
        return conflicts_between(restriction.terms, agreed)
    terms = [t for o in others if o.kind == Kind.RESTRICTION for t in o.terms]
    return conflicts_between(terms, restriction.adjustments)


def _sentences(parts: list) -> str:
    """"A. B. C." as HTML: plain parts escaped, parts already isolated kept."""
    return format_html("{}.", format_html_join(". ", "{}", ((part,) for part in parts)))


def banner(restriction: Restriction, others: list[Restriction]) -> dict:
    """What every member of staff sees (12.3): the terms and how to handle the customer."""
    until = f"Until {dateformat.format(restriction.until, 'j F Y')}"
    if restriction.kind == Kind.RESTRICTION:
        phrases = term_phrases(restriction)
        if restriction.terms_notes:
            phrases.append(format_html("<bdi>{}</bdi>", restriction.terms_notes))
        heading = "Restricted contact"
        summary = _sentences([*phrases, until])
        steps = handling_steps(restriction)
    else:
        heading = "Reasonable adjustment"
        adjustments = "; ".join(restriction.adjustment_labels())
        # Issue 19, finding 10: what staff typed is isolated (<bdi>) so a direction control in
        # it cannot reverse the service's own text after it (the terms, the dates).
        parts = [format_html("Need: <bdi>{}</bdi>", restriction.need),
                 f"Adjustments: {adjustments}"]
        if restriction.terms_notes:
            parts.append(format_html("<bdi>{}</bdi>", restriction.terms_notes))
        summary = _sentences([*parts, until])
        steps = [EQUALITY_PROMPT]
    return {
        "restriction": restriction, "heading": heading, "summary": summary, "steps": steps,
        "conflicts": conflicts_for(restriction, others),
    }


def banners_for_customer(customer) -> list[dict]:
    records = active_for_customer(customer)
    return [banner(r, records) for r in records]


def _or_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def allowed_channels(restriction: Restriction) -> frozenset[str] | None:
    allowed = None
    for term in restriction.terms:
        if term in TERM_ALLOWED_CHANNELS:
            term_allowed = TERM_ALLOWED_CHANNELS[term]
            allowed = term_allowed if allowed is None else allowed & term_allowed
    return allowed


def channel_warning(customer, channel: str, records: list[Restriction] | None = None) -> str | None:
    """A warning when a contact on ``channel`` is not what the restriction allows (12.3)."""
    if customer is None:
        return None
    records = active_for_customer(customer) if records is None else records
    warnings = []
    label = CHANNEL_LABELS.get(channel, channel)
    for record in records:
        if record.kind == Kind.RESTRICTION:
            allowed = allowed_channels(record)
            if allowed is not None and channel not in allowed:
                terms = ", ".join(Term(t).label.lower() for t in record.terms
                                  if t in TERM_ALLOWED_CHANNELS)
                ways = _or_list(sorted(CHANNEL_LABELS[c] for c in allowed))
                warnings.append(
                    f"This customer's contact is restricted ({terms}): do not continue by "
                    f"{label}. Explain politely that we will deal with them by {ways} only, "
                    f"and tell them how to reach us that way.")
        elif channel == "phone" and Adjustment.EMAIL_NOT_PHONE in record.adjustments:
            warnings.append(
                "This customer has an agreed adjustment: email instead of telephone. "
                "Offer to deal with this by email.")
    return " ".join(warnings) or None


def to_decide_for(user) -> QuerySet[Restriction]:
    """Requests waiting for ``user`` as Head (or acting Head) of the requester's department."""
    return (
        Restriction.objects.filter(
            department__in=departments_headed_by(user), status=Status.SUBMITTED)
        .exclude(requested_by=user)
        .select_related("customer", "requested_by").order_by("submitted_at", "id")
    )


def requested_by(user) -> QuerySet[Restriction]:
    return (Restriction.objects.filter(requested_by=user)
            .select_related("customer", "decided_by").order_by("-created_at", "-id"))


def reviews_due_for(user, today: date | None = None) -> QuerySet[Restriction]:
    """Records in force whose review date is near, for their Head of Department and requester."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.RESTRICTIONS_REVIEW_NOTICE_DAYS)
    return (
        Restriction.objects.filter(in_force(today), review_date__lte=horizon)
        .filter(Q(department__in=departments_headed_by(user)) | Q(requested_by=user))
        .select_related("customer", "requested_by").order_by("review_date", "id")
    )


def triage_queue() -> QuerySet[TriageItem]:
    return (TriageItem.objects.filter(signed_off_by__isnull=True)
            .select_related("contact", "restriction__customer").order_by("created_at", "id"))


def for_customer(customer) -> QuerySet[Restriction]:
    return (Restriction.objects.filter(customer=customer)
            .select_related("requested_by", "decided_by").order_by("-created_at", "-id"))


def proposal_from_flag(flag) -> dict:
    """7.2: the restriction request a line manager starts from a persistent-contact flag
    they decided to take to a restriction ("consider restricting"): the initial values of
    the request form, from the flag's contacts, its trigger, the manager's reason and the
    staff's suggestions. Nothing is saved; the request is made by ``restriction_create``."""
    lines = [f"Persistent contact (7.2): {flag.trigger}."]
    if flag.case_reference_id:
        lines.append(f"Case {flag.case_reference}.")
    contacts = list(flag.contacts.order_by("started_at").values_list("pk", "started_at"))
    if contacts:
        first, last = contacts[0][1], contacts[-1][1]
        lines.append(f"{len(contacts)} contacts from {timezone.localtime(first):%d/%m/%Y} "
                     f"to {timezone.localtime(last):%d/%m/%Y}.")
    for suggestion in flag.suggestions.select_related("suggested_by").order_by("suggested_at"):
        who = suggestion.suggested_by.get_full_name() or suggestion.suggested_by.username
        lines.append(f"{who} suggested it is persistent: {suggestion.reason}")
    if flag.decision_reason:
        lines.append(f"Line manager's decision: {flag.decision_reason}")
    return {
        "grounds": "\n".join(lines),
        "grounds_contacts": [pk for pk, _started in contacts],
        "grounds_references": f"Persistent-contact flag {flag.pk}",
    }

"""Reads for contacts: the one-box customer lookup, the customer page and the contact screen.

Lookup design (measured at one million customers, see docs/contacts.md and STACK.md): the
input is classified and one narrow statement runs for it; names are folded
(``contacts.names``: no case, accents, apostrophes, hyphens or spaces) and use a prefix
search on the index ``(search_family COLLATE "C", search_given COLLATE "C", id)`` that stops
at 20 rows (fetching the rows themselves), an unordered trigram contains search from 3
characters and a Double Metaphone sounds-like search on indexed codes, all three as the
parts of one ``UNION ALL`` statement, each limited to a page + 1 (one round trip). Case references
and badges are fetched afterwards for the customers of the page only
(``core.extensions.badges_for``).
"""

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Collate, Reverse

from contacts import visibility
from contacts.models import (
    BehaviourChange,
    Callback,
    CaseReference,
    Contact,
    Customer,
    CustomerEmail,
    CustomerPhone,
    EscalationRequest,
    HandlingStep,
)
from contacts.names import fold_name, sound_keys
from contacts.normalise import normalise_email, phone_lookup_digits
from core import extensions
from core.extensions import badges_for

PAGE_SIZE = 20
CONTAINS_FROM = 3  # trigrams need 3 characters; shorter contains-search scans the table
_CASE_REFERENCE = re.compile(r"^[A-Za-z]{3}\s*\d{7}$")
_PHONE = re.compile(r"^(tel:)?[\d\s()+\-./]+$", re.IGNORECASE)
MIN_PHONE_DIGITS = 4


@dataclass
class LookupResult:
    query: str
    kind: str  # "email", "phone", "case_reference", "name" or "" for an empty query
    customers: list = field(default_factory=list)
    badges: dict = field(default_factory=dict)
    more: bool = False


def classify_query(query: str) -> str:
    """Which kind of search the one box is doing."""
    query = query.strip()
    if not query:
        return ""
    if "@" in query:
        return "email"
    if _CASE_REFERENCE.match(query):
        return "case_reference"
    if _PHONE.match(query) and sum(c.isdigit() for c in query) >= MIN_PHONE_DIGITS:
        return "phone"
    return "name"


def _name_key(column: str):
    """A search column COLLATE "C" on PostgreSQL (matches the index); plain elsewhere."""
    if connection.vendor == "postgresql":
        return Collate(F(column), "C")
    return F(column)


def _by_ids(ids: list[int]) -> list[Customer]:
    if not ids:
        return []
    order = {pk: i for i, pk in enumerate(ids)}
    return sorted(Customer.objects.filter(pk__in=ids), key=lambda c: order[c.pk])


def _codes(name: str) -> list[str]:
    return [code for code in sound_keys(name) if code]


def _sounds_like(words: list[str]) -> Q | None:
    """Double Metaphone: the family name (the last words) sounds like the stored one's, and
    for "given family" the given name sounds like it too or starts with what was typed."""
    family_words = words[1:] if len(words) > 1 else words
    family_codes = _codes(" ".join(family_words))
    if not family_codes:
        return None
    match = Q(sound_family__in=family_codes) | Q(sound_family_alt__in=family_codes)
    if len(words) > 1:
        given = fold_name(words[0])
        given_codes = _codes(words[0])
        match &= (Q(sound_given__in=given_codes) | Q(sound_given_alt__in=given_codes)
                  | Q(search_given__startswith=given))
    return match


def _with_case_references(rows: QuerySet[Customer]) -> QuerySet[Customer]:
    """On PostgreSQL the case references come inside the customers' own query (an array
    subquery per row of the page) rather than a second query (issue 23: round trips)."""
    if connection.vendor != "postgresql":
        return rows
    from django.contrib.postgres.expressions import ArraySubquery

    return rows.annotate(case_reference_texts=ArraySubquery(
        CaseReference.objects.filter(customer=OuterRef("pk")).order_by("reference")
        .values("reference")))


@dataclass(frozen=True)
class _Ref:
    reference: str


# How each branch of the name search found its customers, in the order they are shown.
_BRANCH_HOW = ("name", "name", "part of the name", "sounds like")


def _name_matches(query: str) -> list[Customer]:
    """The customers themselves, not their ids, in ONE statement (issue 16: at 1,000,000
    customers each further round trip put a lookup over its budget). Every branch is a
    ``UNION ALL`` part limited to one page + 1: exact and prefix matches on the folded names
    (in name order, through the name index), then contains (trigram), then sounds-like
    (Double Metaphone codes). A customer found by several branches is kept once, under the
    first; each branch returns up to a page + 1, so the page is full whenever more than a
    page matched in all. Every customer found says how (``matched_by``)."""
    words = query.split()
    phrase = fold_name(query)
    if not phrase:
        return []
    base = _with_case_references(Customer.objects.filter(merged_into__isnull=True)).annotate(
        lf=_name_key("search_family"), lg=_name_key("search_given"))
    limit = PAGE_SIZE + 1
    parts = []

    def branch(number: int, rows: QuerySet[Customer]) -> None:
        parts.append(rows.annotate(branch=Value(number, output_field=IntegerField()))[:limit])

    if len(words) > 1:  # "given family": given-name prefix and family-name prefix
        branch(0, base.filter(lg__startswith=fold_name(words[0]),
                              lf__startswith=fold_name(" ".join(words[1:])))
               .order_by("lf", "lg", "id"))
    branch(1, base.filter(lf__startswith=phrase).order_by("lf", "lg", "id"))
    if len(phrase) >= CONTAINS_FROM:
        # Deliberately unordered: ORDER BY name here walks the whole index.
        branch(2, base.filter(Q(search_family__contains=phrase)
                              | Q(search_given__contains=phrase)).order_by())
    sounds = _sounds_like(words)
    if sounds is not None:
        branch(3, base.filter(sounds).order_by())
    if len(parts) == 1:
        rows = list(parts[0])
    elif connection.features.supports_slicing_ordering_in_compound:
        rows = list(parts[0].union(*parts[1:], all=True))
    else:  # SQLite (``make run``) takes no LIMIT inside a UNION: one query a branch
        rows = [customer for part in parts for customer in part]
    first: dict[int, Customer] = {}
    for customer in rows:
        kept = first.get(customer.pk)
        if kept is None or customer.branch < kept.branch:
            first[customer.pk] = customer
    found = sorted(first.values(), key=lambda c: (c.branch, c.lf, c.lg, c.pk)
                   if c.branch < 2 else (c.branch, 0, "", 0))
    for customer in found:
        customer.matched_by = _BRANCH_HOW[customer.branch]
    return found


def _phone_ids(query: str) -> list[int]:
    digits = phone_lookup_digits(query)
    # The whole number in E.164 or the last digits typed, through the index on
    # reverse(number_normalised): a whole number is its own longest suffix.
    return list(
        CustomerPhone.objects.annotate(rev=Reverse("number_normalised"))
        .filter(rev__startswith=digits[::-1])
        .order_by().values_list("customer_id", flat=True).distinct()[: PAGE_SIZE + 1]
    )


def _matching_ids(kind: str, query: str) -> list[int]:
    """Customer ids for a search by email, case reference or phone, at most one page + 1."""
    if kind == "email":
        return list(CustomerEmail.objects.filter(email_normalised=normalise_email(query))
                    .order_by().values_list("customer_id", flat=True).distinct()[:PAGE_SIZE + 1])
    if kind == "case_reference":
        ref = re.sub(r"\s+", "", query).upper()
        return list(CaseReference.objects.filter(reference=ref).values_list("customer_id",
                                                                            flat=True))
    return _phone_ids(query)


def customer_lookup(query: str) -> LookupResult:
    """Customers matching the one search box, at most ``PAGE_SIZE``, with their badges."""
    query = query.strip()[:200]
    kind = classify_query(query)
    result = LookupResult(query=query, kind=kind)
    if not kind:
        return result
    # A name search gives the customers themselves; the others give ids.
    matches = _name_matches(query) if kind == "name" else _matching_ids(kind, query)
    result.more = len(matches) > PAGE_SIZE
    matches = matches[:PAGE_SIZE]
    result.customers = matches if kind == "name" else _by_ids(matches)
    # to_attr: a plain list per customer (a related manager per customer costs a filter each).
    fetched = [c for c in result.customers if not hasattr(c, "case_reference_texts")]
    for customer in result.customers:
        if hasattr(customer, "case_reference_texts"):
            customer.case_reference_list = [_Ref(r) for r in customer.case_reference_texts]
    prefetch_related_objects(fetched, Prefetch(
        "case_references", queryset=CaseReference.objects.only("id", "reference", "customer_id"),
        to_attr="case_reference_list"))
    ids = [c.pk for c in result.customers]
    result.badges = badges_for(ids) if ids else {}
    for customer in result.customers:
        customer.badges = result.badges.get(customer.pk, [])
    return result


def customer_for_page(pk: int) -> Customer:
    """A customer with their contact details, case references and the facts other apps'
    banners need (``core.extensions.customer_page_facts``)."""
    return (Customer.objects.annotate(**extensions.facts(extensions.customer_page_facts, "pk"))
            .prefetch_related("emails", "phones", "case_references").get(pk=pk))


def customer_contacts(customer: Customer, user) -> QuerySet[Contact]:
    """The contact history, newest first, ready to paginate: only the columns the page shows
    (a staff member's row is wide; the template reads nothing else, and the query-count test
    for 1 and 50 contacts fails if it starts to). Each row carries ``details_visible``: the
    template shows only the outline of a contact ``user`` may not open (contacts.visibility).
    """
    return (visibility.with_visibility(Contact.objects.filter(customer=customer), user)
            .select_related("staff", "case_reference")
            .only("started_at", "channel", "behaviour", "terminated", "summary",
                  "staff__first_name", "staff__last_name", "staff__username",
                  "case_reference__reference")
            .order_by("-started_at", "-id"))


@dataclass
class ContactScreen:
    """What the in-contact screen shows besides the contact itself."""

    contact: Contact
    changes: list[BehaviourChange]
    steps: list[HandlingStep]
    callbacks: list[Callback]
    escalations: list[EscalationRequest]


# The contact's history lists, by relation name. Most contacts have none of them, so the
# contact's own query asks EXISTS for each and only the lists that have rows are fetched.
_HISTORY = {
    "behaviour_changes": BehaviourChange.objects.select_related("recorded_by"),
    "steps": HandlingStep.objects.select_related("recorded_by"),
    "callbacks": Callback.objects.select_related("assigned_to"),
    "escalations": EscalationRequest.objects.all(),
}


def contact_for_screen(pk: int) -> ContactScreen:
    """A contact with everything the in-contact screen shows: one query, plus one for each
    kind of history the contact has (at most five in all, whatever their lengths)."""
    facts = extensions.facts(extensions.contact_screen_facts, "customer_id")
    present = {f"has_{name}": Exists(rows.filter(contact=OuterRef("pk")))
               for name, rows in _HISTORY.items()}
    contact = (
        Contact.objects.select_related("customer", "staff", "case_reference", "taken_over_by",
                                       "name_withheld", "written_review",
                                       "staff_name_given__recorded_by")
        .annotate(**present, **facts)
        .get(pk=pk)
    )
    if contact.customer is not None:
        for name in facts:
            setattr(contact.customer, name, getattr(contact, name))
    history = {name: list(rows.filter(contact=contact)) if getattr(contact, f"has_{name}")
               else [] for name, rows in _HISTORY.items()}
    return ContactScreen(contact=contact, changes=history["behaviour_changes"],
                         steps=history["steps"], callbacks=history["callbacks"],
                         escalations=history["escalations"])


def team_filter(user) -> Q:
    """Items for this manager: sent to them, or about a member of their own team."""
    return Q(manager=user) | Q(staff__line_manager=user)


def callbacks_for(user) -> QuerySet[Callback]:
    """Open callbacks assigned to ``user``, soonest first, each with the number to call (the
    customer's first phone number, ``phone``; issue 16) read in the same query."""
    from django.db.models import OuterRef, Subquery

    from contacts.models import CustomerPhone

    first_phone = (CustomerPhone.objects.filter(customer=OuterRef("contact__customer"))
                   .order_by("id").values("number")[:1])
    return (Callback.objects.filter(assigned_to=user, status="arranged")
            .select_related("contact", "contact__customer")
            .annotate(phone=Subquery(first_phone)).order_by("due_at", "id"))




def suggested_words() -> dict:
    """Issue 24: the suggested words for each step of a live call, by step key (one query)."""
    from contacts.models import SuggestedWords

    return {row.step: row for row in SuggestedWords.objects.all()}

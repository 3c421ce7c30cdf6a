"""Reads for contacts: the one-box customer lookup, the customer page and the contact screen.

Lookup design (measured at one million customers, see docs/contacts.md and STACK.md): the
input is classified and one narrow statement runs for it; names are folded
(``contacts.names``: no case, accents, apostrophes, hyphens or spaces) and use a prefix
search on the index ``(search_family COLLATE "C", search_given COLLATE "C", id)`` that stops
at 20 rows (fetching the rows themselves), an unordered trigram contains search from 3
characters and a Double Metaphone sounds-like search on indexed codes when the prefix
matches do not fill the page; each step is one ``UNION ALL`` statement (at most two round
trips). On PostgreSQL the case references and badges come inside the statement that finds
the customers, whatever was typed (``_pg_page_columns``); on SQLite they are fetched
afterwards for the customers of the page only (``core.extensions.badges_for``).
"""

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Reverse
from django.utils import timezone

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
from core.extensions import badge_rows_sql, badges_for

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


def _by_ids(ids: list[int]) -> list[Customer]:
    """The customers ``ids`` names, in name order (as ``_pg_by_ids``)."""
    if not ids:
        return []
    return sorted(Customer.objects.filter(pk__in=ids),
                  key=lambda c: (c.search_family, c.search_given, c.pk))


def _codes(name: str) -> list[str]:
    return [code for code in sound_keys(name) if code]


@dataclass(frozen=True)
class _Ref:
    reference: str


# How each branch of the name search found its customers, in the order they are shown:
# 0 given and family prefixes ("given family"), 1 family-name prefix, 2 given-name prefix,
# 3 part of either name (trigram contains), 4 sounds like (Double Metaphone codes).
_BRANCH_HOW = ("name", "name", "name", "part of the name", "sounds like")


def _prefix_order(customer: Customer) -> tuple:
    """Round one's display order: each prefix branch in its index's order."""
    if customer.branch == 2:
        return (2, customer.search_given, customer.search_family, customer.pk)
    return (customer.branch, customer.search_family, customer.search_given, customer.pk)


def _name_matches(query: str) -> list[Customer]:
    """The customers themselves, not their ids, in at most TWO statements (issue 16: at
    1,000,000 customers each further round trip, and the ORM's building of each, put a
    lookup over its budget); on PostgreSQL, one (``_pg_search``).

    Round one, the exact and prefix matches on the folded names in name order, each through
    its "C" index: "given family" (given-name and family-name prefixes), the family name,
    the given name. Only if they do not fill the page, round two fills it: part of the name
    (trigram contains) and sounds-like (Double Metaphone codes), leaving out the customers
    already found. Each branch is a ``UNION ALL`` part limited to what the page still needs
    + 1, so the page is full whenever more matched in all; a customer found by two branches
    is kept once, under the first. Every customer found says how (``matched_by``)."""
    words = query.split()
    phrase = fold_name(query)
    if not phrase:
        return []
    if connection.vendor == "postgresql":
        found = _pg_search(words, phrase)  # de-duplicated and in page order already
    else:
        found = _first_of_each(_orm_search(words, phrase, found=None, need=PAGE_SIZE + 1))
        found.sort(key=_prefix_order)
        need = PAGE_SIZE + 1 - len(found)
        if need > 0:
            more = _first_of_each(_orm_search(words, phrase, found=[c.pk for c in found],
                                              need=need))
            found += sorted(more, key=lambda c: c.branch)  # stable: each branch's own order
    for customer in found:
        customer.matched_by = _BRANCH_HOW[customer.branch]
    return found


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _sound_codes(words: list[str]) -> tuple[list[str], list[str] | None, str]:
    """The family name's codes (its last words); for "given family" the given name's codes
    and its folded prefix too (``None`` for one word)."""
    family_words = words[1:] if len(words) > 1 else words
    family = _codes(" ".join(family_words))
    if len(words) > 1:
        return family, _codes(words[0]), fold_name(words[0])
    return family, None, ""


def _pg_search(words: list[str], phrase: str) -> list[Customer]:
    """Both rounds of the name search as ONE hand-written statement on PostgreSQL: the ORM
    took longer to build the ``UNION`` than PostgreSQL to run it (issue 16). Round one (the
    prefixes) is a materialised ``WITH``; each part of round two runs only when round one's
    distinct customers left the page short (a one-time filter), so the fill-in reads nothing
    when the prefixes fill the page and costs no second round trip when they do not. The
    parts give only ids; the statement de-duplicates them, orders and trims the page and
    only then reads the customers' rows and case references (at most a page of wide rows
    made into models, not every part's). Each part's condition matches its index: ``(search_family
    COLLATE "C", search_given COLLATE "C", id)``, ``(search_given COLLATE "C",
    search_family COLLATE "C", id)``, the GIN trigram indexes, and the code indexes (one
    column each: an ``OR`` of the two cannot use either with a LIMIT, so PostgreSQL read the
    whole table hoping to find a page early)."""
    table = connection.ops.quote_name(Customer._meta.db_table)
    family, given = 'c.search_family COLLATE "C"', 'c.search_given COLLATE "C"'
    page = PAGE_SIZE + 1
    prefixes, prefix_params, fills, fill_params = [], [], [], []

    def part(number: int, where: str, args: list, order: str = "") -> None:
        # Only constants and quoted table names are interpolated; what was typed is a param.
        # A fill part runs only while round one left the page short: a condition on
        # nothing of the row is a one-time filter, and a constant LIMIT keeps the plan
        # that stops early (a LIMIT computed from round one made PostgreSQL plan for
        # thousands of rows).
        fill = number >= 3
        gate = (" AND (SELECT count(DISTINCT found.id) FROM found) < %s"
                " AND c.id NOT IN (SELECT found.id FROM found)") if fill else ""
        sql = (f"(SELECT c.id, {number} AS branch FROM {table} c"  # noqa: S608
               f" WHERE c.merged_into_id IS NULL AND {where}"
               f"{gate}{' ORDER BY ' + order if order else ''} LIMIT %s)")
        (fills if fill else prefixes).append(sql)
        (fill_params if fill else prefix_params).extend([*args, *([page] if fill else []),
                                                         page])

    # Round one: the prefixes, in name order.
    if len(words) > 1:
        part(0, f"{given} LIKE %s AND {family} LIKE %s",
             [_like_prefix(fold_name(words[0])), _like_prefix(fold_name(" ".join(words[1:])))],
             f"{family}, {given}, c.id")
    part(1, f"{family} LIKE %s", [_like_prefix(phrase)], f"{family}, {given}, c.id")
    part(2, f"{given} LIKE %s", [_like_prefix(phrase)], f"{given}, {family}, c.id")
    # Round two: fill the page, unordered (ORDER BY name walks the whole index).
    if len(phrase) >= CONTAINS_FROM:
        contains = "%" + _like_prefix(phrase)
        part(3, "(c.search_family LIKE %s OR c.search_given LIKE %s)", [contains, contains])
    codes, given_codes, given_prefix = _sound_codes(words)
    if codes:
        also, also_args = "", []
        if given_codes is not None:
            also = (" AND (c.sound_given = ANY(%s::text[]) OR c.sound_given_alt = "
                    f"ANY(%s::text[]) OR {given} LIKE %s)")
            also_args = [given_codes, given_codes, _like_prefix(given_prefix)]
        part(4, f"c.sound_family = ANY(%s::text[]){also}", [codes, *also_args])
        # The alternative codes' index leaves out the many empty ones (partial index).
        part(4, f"c.sound_family_alt = ANY(%s::text[]) AND c.sound_family_alt <> ''{also}",
             [codes, *also_args])
    # Only the page comes back as customers: each found once under its first branch, in
    # the page's order (_prefix_order's for round one, as the SQLite path sorts), with its
    # case references.
    first, second = (f"CASE WHEN h.branch = 2 THEN {a} ELSE {b} END COLLATE \"C\""
                     for a, b in (("c.search_given", "c.search_family"),
                                  ("c.search_family", "c.search_given")))
    columns, column_params = _pg_page_columns()
    sql = (f"WITH found AS MATERIALIZED ({' UNION ALL '.join(prefixes)}), "  # noqa: S608
           f"hits AS (SELECT * FROM found{''.join(' UNION ALL ' + f for f in fills)}) "
           f"SELECT {columns}, h.branch"
           f" FROM (SELECT id, min(branch) AS branch FROM hits GROUP BY id) h"
           f" JOIN {table} c ON c.id = h.id"
           f" ORDER BY h.branch, {first}, {second}, c.id LIMIT %s")
    return list(Customer.objects.raw(sql, [*prefix_params, *fill_params, *column_params, page]))


def _pg_page_columns() -> tuple[str, list]:
    """What a page of results reads of each customer ``c`` on PostgreSQL, in the statement
    that finds them: the row, its case references, and its badges (12.3) from the
    providers' own definition compiled to SQL (``core.extensions.badge_rows_sql``), so
    neither costs a query of its own."""
    refs = connection.ops.quote_name(CaseReference._meta.db_table)
    badges, badge_params = badge_rows_sql(timezone.localdate())
    return (f"c.*, ARRAY(SELECT r.reference FROM {refs} r WHERE r.customer_id = c.id"  # noqa: S608
            f" ORDER BY r.reference) AS case_reference_texts,"
            f" ARRAY(SELECT b.badge FROM ({badges}) b (customer_id, badge, rank)"
            f" WHERE b.customer_id = c.id GROUP BY b.rank, b.badge"
            f' ORDER BY b.rank, b.badge COLLATE "C")'
            f" AS badge_texts"), list(badge_params)


def _pg_by_ids(ids: QuerySet) -> list[Customer]:
    """The customers ``ids`` (a query of customer ids) finds, in name order, with their case
    references and badges: one statement (PostgreSQL)."""
    table = connection.ops.quote_name(Customer._meta.db_table)
    ids_sql, ids_params = ids.query.sql_with_params()
    columns, column_params = _pg_page_columns()
    sql = (f"SELECT {columns} FROM (SELECT DISTINCT * FROM ({ids_sql}) i) h (id)"  # noqa: S608
           f" JOIN {table} c ON c.id = h.id"
           f' ORDER BY c.search_family COLLATE "C", c.search_given COLLATE "C", c.id'
           f" LIMIT %s")
    return list(Customer.objects.raw(sql, [*column_params, *ids_params, PAGE_SIZE + 1]))


def _orm_search(words: list[str], phrase: str, *, found: list[int] | None,
                need: int) -> list[Customer]:
    """The same round through the ORM, a query a branch (SQLite, ``make run``, takes no
    LIMIT inside a UNION); the name tables of tests/contacts/test_name_lookup.py run on both
    databases, so the two cannot drift apart."""
    base = Customer.objects.filter(merged_into__isnull=True)
    parts = []

    def part(number: int, rows: QuerySet[Customer]) -> None:
        parts.append(rows.annotate(branch=Value(number, output_field=IntegerField()))[:need])

    if found is None:
        by_family, by_given = ("search_family", "search_given", "id"), ("search_given",
                                                                         "search_family", "id")
        if len(words) > 1:
            part(0, base.filter(search_given__startswith=fold_name(words[0]),
                                search_family__startswith=fold_name(" ".join(words[1:])))
                 .order_by(*by_family))
        part(1, base.filter(search_family__startswith=phrase).order_by(*by_family))
        part(2, base.filter(search_given__startswith=phrase).order_by(*by_given))
    else:
        rest = base.exclude(pk__in=found).order_by()
        if len(phrase) >= CONTAINS_FROM:
            part(3, rest.filter(Q(search_family__contains=phrase)
                                | Q(search_given__contains=phrase)))
        codes, given_codes, given_prefix = _sound_codes(words)
        if codes:
            also = Q()
            if given_codes is not None:
                also = (Q(sound_given__in=given_codes) | Q(sound_given_alt__in=given_codes)
                        | Q(search_given__startswith=given_prefix))
            part(4, rest.filter(also, sound_family__in=codes))
            part(4, rest.filter(also, sound_family_alt__in=codes).exclude(sound_family_alt=""))
    return [customer for rows in parts for customer in rows]


def _first_of_each(rows: list[Customer]) -> list[Customer]:
    """Each customer once, under the first (lowest-numbered) branch that found them."""
    first: dict[int, Customer] = {}
    for customer in rows:
        kept = first.get(customer.pk)
        if kept is None or customer.branch < kept.branch:
            first[customer.pk] = customer
    return list(first.values())


def _phone_ids(query: str) -> QuerySet:
    digits = phone_lookup_digits(query)
    # The whole number in E.164 or the last digits typed, through the index on
    # reverse(number_normalised): a whole number is its own longest suffix.
    return (
        CustomerPhone.objects.annotate(rev=Reverse("number_normalised"))
        .filter(rev__startswith=digits[::-1])
        .order_by().values_list("customer_id", flat=True).distinct()[: PAGE_SIZE + 1]
    )


def _matching_ids(kind: str, query: str) -> QuerySet:
    """A query of the customer ids a search by email, case reference or phone finds, at most
    one page + 1."""
    if kind == "email":
        return (CustomerEmail.objects.filter(email_normalised=normalise_email(query))
                .order_by().values_list("customer_id", flat=True).distinct()[:PAGE_SIZE + 1])
    if kind == "case_reference":
        ref = re.sub(r"\s+", "", query).upper()
        return CaseReference.objects.filter(reference=ref).values_list("customer_id", flat=True)
    return _phone_ids(query)


def customer_lookup(query: str) -> LookupResult:
    """Customers matching the one search box, at most ``PAGE_SIZE``, with their badges."""
    query = query.strip()[:200]
    kind = classify_query(query)
    result = LookupResult(query=query, kind=kind)
    if not kind:
        return result
    # A name search gives the customers themselves; the others a query of their ids.
    if kind == "name":
        matches = _name_matches(query)
    elif connection.vendor == "postgresql":
        matches = _pg_by_ids(_matching_ids(kind, query))
    else:
        matches = _by_ids(list(_matching_ids(kind, query)))
    result.more = len(matches) > PAGE_SIZE
    result.customers = matches[:PAGE_SIZE]
    # to_attr: a plain list per customer (a related manager per customer costs a filter each).
    fetched = [c for c in result.customers if not hasattr(c, "case_reference_texts")]
    for customer in result.customers:
        if hasattr(customer, "case_reference_texts"):
            customer.case_reference_list = [_Ref(r) for r in customer.case_reference_texts]
    prefetch_related_objects(fetched, Prefetch(
        "case_references", queryset=CaseReference.objects.only("id", "reference", "customer_id"),
        to_attr="case_reference_list"))
    for customer in result.customers:  # as the results show them: one value, not a loop
        customer.case_references_text = ", ".join(r.reference for r in
                                                  customer.case_reference_list)
    # On PostgreSQL the badges came with the rows; otherwise they are asked for.
    asked = [c.pk for c in result.customers if not hasattr(c, "badge_texts")]
    badges = badges_for(asked) if asked else {}
    for customer in result.customers:
        customer.badges = (customer.badge_texts if hasattr(customer, "badge_texts")
                           else badges.get(customer.pk, []))
    result.badges = {customer.pk: customer.badges for customer in result.customers}
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

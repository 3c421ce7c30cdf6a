"""A customer's history (issue 16): everything the service holds on the person, newest
first, in one chronological list: contacts (with their class and steps), callbacks,
terminated-call logs, restriction and adjustment decisions (every move of their state
machine), at-risk reports, and the letters and copies stored for them
(``documents.StoredDocument``, shown only to those who may open them: the download's rule,
``documents.selectors.visible_q``). What of a contact is shown follows
``contacts.visibility`` (its outline to all staff, its details to those who may open it);
at-risk reports for those allowed to see them (``atrisk.selectors.reports_visible_to``, the
same rule as the report's own page). What the viewer may not see is cut before paginating,
never after, so every full page holds ``PAGE_SIZE`` entries.

A page costs a fixed number of queries whatever the history's length: one UNION ALL of
``(kind, id, at)`` over the sources, ordered and cut to the page (plus its count), then
one query per kind for the rows of that page (and one for the contacts' steps).
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import CharField, F, Prefetch, Value

from contacts.models import Callback, Contact, Customer, HandlingStep

PAGE_SIZE = 25


@dataclass
class HistoryEntry:
    kind: str  # "contact", "callback", "call_log", "decision", "at_risk", "letter"
    at: object
    item: object


def _sources(customer: Customer, user) -> dict:
    from atrisk.selectors import reports_visible_to
    from callogs.models import TerminatedCallLog
    from contacts.visibility import details_visible_q
    from documents.models import StoredDocument
    from documents.selectors import visible_q
    from restrictions.models import RestrictionTransition

    ids = [customer.pk, *customer.merged_records.values_list("pk", flat=True)]
    # Callbacks and terminated-call logs are the contact's details: shown only to those
    # who may open the contact (contacts.visibility, the contact page's rule).
    visible = Contact.objects.filter(details_visible_q(user), customer_id__in=ids)
    return {
        "contact": (Contact.objects.filter(customer_id__in=ids), "started_at"),
        "callback": (Callback.objects.filter(contact__in=visible), "due_at"),
        "call_log": (TerminatedCallLog.objects.filter(contact__in=visible), "call_at"),
        "decision": (RestrictionTransition.objects.filter(restriction__customer_id__in=ids),
                     "occurred_at"),
        "at_risk": (reports_visible_to(user).filter(customer_id__in=ids), "raised_at"),
        # Filtered before paginating (the download's rule as a filter), so a full page holds
        # PAGE_SIZE entries however many letters the viewer may not open.
        "letter": (StoredDocument.objects.filter(visible_q(user), customer_id__in=ids),
                   "issued_at"),
    }


def _details(kind: str, ids: list[int], user) -> dict[int, object]:
    from atrisk.models import AtRiskReport
    from callogs.models import TerminatedCallLog
    from contacts.visibility import with_visibility
    from documents.models import StoredDocument
    from documents.selectors import _with_sources, visible
    from restrictions.models import RestrictionTransition

    if kind == "letter":  # the download's rule, on this page's rows only
        return {d.pk: d for d in visible(_with_sources(
            StoredDocument.objects.filter(pk__in=ids)), user)}
    rows = {
        "contact": with_visibility(Contact.objects, user)
        .select_related("staff", "case_reference").prefetch_related(
            Prefetch("steps", queryset=HandlingStep.objects.order_by("recorded_at", "id"))),
        "callback": Callback.objects.select_related("assigned_to", "contact"),
        "call_log": TerminatedCallLog.objects.select_related("author"),
        "decision": RestrictionTransition.objects.select_related("restriction", "actor"),
        "at_risk": AtRiskReport.objects.select_related("raised_by"),
    }[kind]
    return rows.in_bulk(ids)


def customer_history_page(customer: Customer, user, page_number) -> Page:
    """One page of the customer's history; ``page.object_list`` holds ``HistoryEntry``."""
    parts = [qs.order_by().annotate(h_kind=Value(kind, output_field=CharField()), h_at=F(column))
             .values_list("h_kind", "pk", "h_at")
             for kind, (qs, column) in _sources(customer, user).items()]
    union = parts[0].union(*parts[1:], all=True).order_by("-h_at", "-pk")
    page = Paginator(union, PAGE_SIZE).get_page(page_number)
    keys = list(page.object_list)
    by_kind: dict[str, list[int]] = {}
    for kind, pk, _ in keys:
        by_kind.setdefault(kind, []).append(pk)
    found = {kind: _details(kind, pks, user) for kind, pks in by_kind.items()}
    page.object_list = [HistoryEntry(kind=kind, at=at, item=found[kind][pk])
                        for kind, pk, at in keys if pk in found[kind]]
    return page

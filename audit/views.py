"""Compliance's audit search and a manager's view of one customer's record history."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from audit import selectors
from audit.forms import AuditSearchForm
from audit.services import audit_record
from contacts.models import Customer
from core.plumbing import require_perm as _require

PAGE_SIZE = 50


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search the audit trail by actor, action, date range and record (Compliance)."""
    _require(request, "audit.search_events")
    form = AuditSearchForm(request.GET or None)
    page = None
    if not form.is_bound or form.is_valid():
        filters = form.cleaned_data if form.is_bound else {}
        filters = {k: v for k, v in filters.items() if v}
        if form.is_bound:  # recorded first, so the count and the rows agree
            audit_record(actor=request.user, action="auditevent.searched",
                         changes={"filters": {k: str(v) for k, v in filters.items()}})
        events = selectors.search_events(**filters)
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/search.html", {
        "form": form, "page": page, "query": _query_without_page(request),
    })


@require_GET
def customer_history(request: HttpRequest, customer_pk: int) -> HttpResponse:
    """Every audit event about one customer and their contacts (managers, Compliance)."""
    _require(request, "audit.view_customer_history")
    customer = get_object_or_404(Customer, pk=customer_pk)
    # Recorded first, so the page counts and shows the same rows (this view included).
    audit_record(actor=request.user, action="customer.history_viewed", target=customer)
    events = selectors.customer_history(customer)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/customer_history.html", {
        "customer": customer, "page": page, "query": "",
    })

"""Pages for merging duplicate customer records and undoing a merge (issue 16). Thin: the
merge services check who may act, the 12.3 conflicts and the same-day undo rule."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from contacts.merge_services import customer_merge, customer_merge_undo, may_merge, merge_conflicts
from contacts.models import Customer, CustomerMerge


def _require_merger(request: HttpRequest) -> None:
    if not may_merge(request.user):
        raise PermissionDenied


def _side(pk) -> Customer | None:
    return (Customer.objects.filter(pk=pk, merged_into__isnull=True)
            .annotate(contact_count=Count("contacts", distinct=True))
            .prefetch_related("phones", "emails", "case_references").first())


def _find_other(text: str, this: Customer) -> Customer | None:
    text = (text or "").strip().upper()
    if not text:
        return None
    found = Customer.objects.filter(reference=text).values_list("pk", flat=True).first()
    if found is None and text.isdigit():
        found = int(text)
    return _side(found) if found and found != this.pk else None


def customer_merge_page(request: HttpRequest, pk: int) -> HttpResponse:
    """See both records side by side, choose the one that stays, acknowledge any 12.3
    conflict, and merge."""
    _require_merger(request)
    this = _side(pk)
    if this is None:
        raise Http404
    typed = request.POST.get("other") or request.GET.get("other", "")
    other = _find_other(typed, this)
    errors: list[str] = []
    if typed and other is None:
        errors.append("Enter the reference of another customer record, like CUS-7K3M9Q2P")
    conflicts = merge_conflicts(this, other) if other else []
    if request.method == "POST" and other is not None:
        keep = request.POST.get("keep")
        if keep not in (str(this.pk), str(other.pk)):
            errors.append("Select the record that stays")
        else:
            survivor, merged = (this, other) if keep == str(this.pk) else (other, this)
            try:
                record = customer_merge(
                    actor=request.user, survivor=survivor, merged=merged,
                    conflicts_acknowledged=request.POST.get("acknowledge") == "yes")
            except ValidationError as refusal:
                errors.extend(refusal.messages)
            else:
                messages.success(request, f"{merged.reference} was merged into this record. "
                                          "You can undo this today from the record's page.")
                return redirect(reverse("contacts:customer_detail", args=[survivor.pk])
                                + f"?merged={record.pk}")
    return render(request, "contacts/customer_merge.html", {
        "this": this, "other": other, "typed": typed, "errors": errors,
        "conflicts": conflicts, "keep": request.POST.get("keep", str(this.pk)),
        "acknowledged": request.POST.get("acknowledge") == "yes",
    })


def customer_merge_undo_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a merge (the same manager, the same day)."""
    _require_merger(request)
    merge = CustomerMerge.objects.select_related("survivor", "merged").filter(pk=pk).first()
    if merge is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            customer_merge_undo(actor=request.user, merge=merge)
        except PermissionDenied as refusal:
            error = str(refusal) or "You cannot undo this merge"
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, f"The merge was undone: {merge.merged.reference} is a "
                                      "separate record again")
            return redirect("contacts:customer_detail", pk=merge.merged_id)
    return render(request, "contacts/customer_merge_undo.html",
                  {"merge": merge, "error": error})

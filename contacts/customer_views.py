"""Pages for keeping customer records (issue 16): add a customer from a lookup that found
nobody (what was typed carried into its field, likely duplicates shown before saving) and
edit a customer's details. Thin: the services check who may act and every rule."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from contacts import customer_services
from contacts.customer_forms import CustomerForm, CustomerImportForm
from contacts.customer_selectors import likely_duplicates
from contacts.forms import LookupForm
from contacts.history import customer_history_page
from contacts.importing import customers_import, may_import
from contacts.link_services import contact_link_customer as contact_link_customer_service
from contacts.link_services import may_link_contact
from contacts.models import Contact, Customer
from contacts.selectors import customer_lookup
from contacts.views import _attempt, _data


def _require_keeper(request: HttpRequest) -> None:
    if not customer_services.may_keep_customers(request.user):
        raise PermissionDenied


def _seen(form: CustomerForm) -> set[int]:
    raw = form.data.get("duplicates_seen", "") if form.is_bound else ""
    return {int(part) for part in raw.split(",") if part.strip().isdigit()}


def customer_create(request: HttpRequest) -> HttpResponse:
    """Add a customer. Likely duplicates (same phone or email, similar name) are shown with
    "use this customer instead"; saving anyway needs a second, deliberate submit."""
    _require_keeper(request)
    query = request.GET.get("q", "")
    form = CustomerForm(_data(request), submit="Save customer",
                        initial=CustomerForm.initial_from_lookup(query))
    duplicates = []
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        duplicates = likely_duplicates(
            given_name=arguments["given_name"], family_name=arguments["family_name"],
            phones=arguments["phones"], emails=arguments["emails"])
        unseen = {d.customer.pk for d in duplicates} - _seen(form)
        if not unseen:
            customer = _attempt(form, lambda: customer_services.customer_create(
                actor=request.user, **arguments))
            if customer:
                messages.success(request, f"Customer {customer.reference} added")
                return _link_new_customer(request, customer) or redirect(
                    "contacts:customer_detail", pk=customer.pk)
            duplicates = []
        else:
            data = request.POST.copy()
            data["duplicates_seen"] = ",".join(str(d.customer.pk) for d in duplicates)
            form = CustomerForm(data, submit="Save customer", confirm_duplicates=True)
            form.is_valid()
    return render(request, "contacts/customer_form.html", {
        "form": form, "page_title": "Add a new customer", "duplicates": duplicates,
        "back": reverse("contacts:lookup") + (f"?q={query}" if query else ""),
    })


def _link_new_customer(request: HttpRequest, customer: Customer) -> HttpResponse | None:
    """Added from an unknown caller's contact (``?contact=``): link that contact too."""
    contact = Contact.objects.select_related("staff").filter(
        pk=_int(request.GET.get("contact"))).first()
    if contact is None or contact.customer_id or not may_link_contact(request.user, contact):
        return None
    try:
        contact_link_customer_service(actor=request.user, contact=contact, customer=customer)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return None
    messages.success(request, f"Contact linked to {customer}")
    return redirect("contacts:contact_detail", pk=contact.pk)


def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a customer's details; each change audited with its before and after."""
    _require_keeper(request)
    customer = (Customer.objects.prefetch_related("phones", "emails", "case_references")
                .filter(pk=pk).first())
    if customer is None:
        raise Http404
    if getattr(customer, "merged_into_id", None):
        return redirect("contacts:customer_detail", pk=customer.merged_into_id)
    form = CustomerForm(_data(request), submit="Save changes",
                        initial=CustomerForm.initial_from_customer(customer))
    if request.method == "POST" and form.is_valid():
        saved = _attempt(form, lambda: customer_services.customer_update(
            actor=request.user, customer=customer, **form.service_arguments()))
        if saved:
            messages.success(request, "Customer details saved")
            return redirect("contacts:customer_detail", pk=customer.pk)
    return render(request, "contacts/customer_form.html", {
        "form": form, "page_title": f"Change {customer.full_name or customer.reference}'s "
                                    "details",
        "duplicates": [], "back": reverse("contacts:customer_detail", args=[customer.pk]),
    })


def _linkable_contact(request: HttpRequest, pk) -> Contact:
    contact = Contact.objects.select_related("staff", "customer").filter(pk=pk).first()
    if contact is None:
        raise Http404
    if not may_link_contact(request.user, contact):
        raise PermissionDenied
    return contact


def contact_link_customer(request: HttpRequest, pk: int) -> HttpResponse:
    """Find (or add) the customer an unknown caller turned out to be, and link the contact."""
    contact = _linkable_contact(request, pk)
    if contact.customer_id is not None:
        messages.info(request, "This contact is already linked to a customer")
        return redirect("contacts:contact_detail", pk=contact.pk)
    error = ""
    if request.method == "POST":
        customer = Customer.objects.filter(pk=_int(request.POST.get("customer"))).first()
        if customer is None:
            error = "Select the customer to link this contact to"
        else:
            try:
                contact_link_customer_service(actor=request.user, contact=contact,
                                              customer=customer)
            except ValidationError as refusal:
                error = " ".join(refusal.messages)
            else:
                messages.success(request, f"Contact linked to {customer}")
                return redirect("contacts:contact_detail", pk=contact.pk)
    form = LookupForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        result = customer_lookup(form.cleaned_data["q"])
    return render(request, "contacts/contact_link_customer.html", {
        "contact": contact, "form": form, "result": result, "error": error,
        "customer_url": reverse("contacts:customer_detail", args=[0])[:-2],
    })


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def customer_import(request: HttpRequest) -> HttpResponse:
    """The Administrator's upload page for the existing register (docs/customer-import.md)."""
    if not may_import(request.user):
        raise PermissionDenied
    form = CustomerImportForm(_data(request), request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", "The file must be a CSV file saved as UTF-8")
        else:
            report = customers_import(
                actor=request.user, text=text, file_name=upload.name[:200],
                dry_run=form.cleaned_data["dry_run"],
                skip_bad_rows=form.cleaned_data["skip_bad_rows"])
    return render(request, "contacts/customer_import.html", {"form": form, "report": report})


def customer_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held on the customer, newest first (issue 16); any member of staff, with
    at-risk reports only for those allowed to see them."""
    if not request.user.has_perm("contacts.view_customer"):
        raise PermissionDenied
    customer = Customer.objects.filter(pk=pk).first()
    if customer is None:
        raise Http404
    if customer.merged_into_id:
        return redirect("contacts:customer_history", pk=customer.merged_into_id)
    page = customer_history_page(customer, request.user, request.GET.get("page"))
    return render(request, "contacts/customer_history.html",
                  {"customer": customer, "page": page})

"""Staff pages of the integration: the Administrator's system clients screen, the API docs
page, the screen-pop poll that shows an agent their incoming call, and ``/?caller=``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from api import selectors, services
from api.forms import ClientRegisterForm, ClientScopesForm
from api.models import CallEvent, SystemClient, WebhookDelivery
from contacts.selectors import customer_lookup
from core.plumbing import add_service_errors as _form_errors
from core.plumbing import require_perm as _require


@require_GET
def client_list(request: HttpRequest) -> HttpResponse:
    _require(request, "api.manage_clients")
    return render(request, "api/client_list.html", {
        "clients": SystemClient.objects.select_related("created_by")})


def client_register(request: HttpRequest) -> HttpResponse:
    _require(request, "api.manage_clients")
    form = ClientRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client, key = services.client_register(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return _show_key(request, client, key)
    return render(request, "core/form_page.html",
                  {"form": form, "page_title": "Register a system client"})


def _show_key(request, client: SystemClient, key: str) -> HttpResponse:
    response = render(request, "api/client_key.html", {"client": client, "key": key})
    response["Cache-Control"] = "no-store"  # the key is shown once and must not be cached
    return response


def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "api.manage_clients")
    client = get_object_or_404(SystemClient, pk=pk)
    form = ClientScopesForm(request.POST or None, initial={"scopes": client.scopes})
    if request.method == "POST" and form.is_valid():
        try:
            services.client_set_scopes(actor=request.user, client=client,
                                       scopes=form.cleaned_data["scopes"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "Scopes saved.")
            return redirect("integrations:client_detail", pk=client.pk)
    deliveries = (WebhookDelivery.objects.filter(subscription__client=client)
                  .order_by("-created_at")[:20])
    return render(request, "api/client_detail.html", {
        "client": client, "form": form, "deliveries": deliveries,
        "subscriptions": client.subscriptions.filter(active=True)})


@require_POST
def client_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "api.manage_clients")
    client = get_object_or_404(SystemClient, pk=pk)
    try:
        client, key = services.client_rotate(actor=request.user, client=client)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("integrations:client_detail", pk=pk)
    return _show_key(request, client, key)


@require_POST
def client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "api.manage_clients")
    client = get_object_or_404(SystemClient, pk=pk)
    try:
        services.client_revoke(actor=request.user, client=client)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{client.name} has been revoked: its key no longer works.")
    return redirect("integrations:client_detail", pk=pk)


@require_GET
def screen_pop(request: HttpRequest) -> HttpResponse:
    """htmx poll (every few seconds on every page for staff who take calls): the calls put
    through to this user that their browser has not opened yet."""
    if not request.user.has_perm("api.receive_calls"):
        return HttpResponse(status=204)
    calls = selectors.calls_to_pop(request.user)
    return render(request, "api/_screen_pop.html", {"calls": calls})


@require_POST
def screen_pop_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the contact of a popped call (and stop offering it), in live-call mode (issue 24):
    it is a telephone call in progress (7.3-7.5)."""
    call = get_object_or_404(CallEvent, pk=pk, agent=request.user)
    services.call_popped(call=call, actor=request.user)
    return redirect("contacts:contact_live", pk=call.contact_id)


def caller_redirect(request: HttpRequest) -> HttpResponse:
    """``/?caller=+44...``: the screen-pop URL for telephony that can only open a URL. One
    matching customer opens their page (banners first, 12.3); otherwise the lookup."""
    _require(request, "contacts.lookup_customers")
    caller = request.GET.get("caller", "").strip()[:40]
    result = customer_lookup(caller) if caller else None
    if result is not None and result.kind == "phone" and len(result.customers) == 1:
        return redirect("contacts:customer_detail", pk=result.customers[0].pk)
    return redirect(reverse("contacts:lookup") + "?" + urlencode({"q": caller}))

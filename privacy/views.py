"""Subject access requests, retention runs and challenges to records (Compliance)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from contacts.models import Customer
from core.ids import parse_id
from privacy import forms, services
from privacy.models import LegalHold, RecordChallenge, RetentionRun, SubjectAccessRequest

SAR_PERM = "privacy.manage_subject_access"


def _refuse(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@permission_required(SAR_PERM, raise_exception=True)
@require_GET
def sar_list(request: HttpRequest) -> HttpResponse:
    requests = SubjectAccessRequest.objects.select_related("customer").defer("export")
    page = Paginator(requests, 25).get_page(request.GET.get("page"))
    return render(request, "privacy/sar_list.html", {"page": page})


@permission_required(SAR_PERM, raise_exception=True)
def sar_create(request: HttpRequest) -> HttpResponse:
    form = forms.SarCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sar = services.sar_create(customer=form.cleaned_data["customer_reference"],
                                      received_on=form.cleaned_data["received_on"],
                                      recorded_by=request.user,
                                      idempotency_key=form.cleaned_data["idempotency_key"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Request recorded. The export is being prepared.")
            return redirect("privacy:sar_detail", pk=sar.pk)
    return render(request, "core/form_page.html",
                  {"form": form, "page_title": "Record a subject access request"})


def _bundle_parts(sar: SubjectAccessRequest) -> list[tuple[str, str]]:
    """The kinds of record the bundle holds for this customer (one count query each)."""
    from privacy import registry

    parts = []
    for rule in sorted((r for r in registry.rules() if r.in_bundle), key=lambda r: r.model):
        count = rule.model_class.objects.filter(**{rule.customer: sar.customer_id}).count()
        if count:
            title = str(rule.model_class._meta.verbose_name_plural).capitalize()
            parts.append((rule.model, f"{title} ({count})"))
    if parts:
        from privacy.export import ABOUT_PART, ABOUT_TITLE

        parts.append((ABOUT_PART, ABOUT_TITLE))
    return parts


@permission_required(SAR_PERM, raise_exception=True)
def sar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sar = get_object_or_404(SubjectAccessRequest.objects.select_related("customer")
                            .defer("export"), pk=pk)
    extend_form = forms.SarExtendForm(request.POST if "extend" in request.POST else None)
    sent_form = forms.SarSentForm(request.POST if "sent" in request.POST else None)
    parts = _bundle_parts(sar) if sar.status != "sent" else []
    withhold_form = forms.SarWithholdForm(
        request.POST if "withhold" in request.POST else None, parts=parts)
    if request.method == "POST":
        try:
            if "extend" in request.POST and extend_form.is_valid():
                services.sar_extend(sar=sar, actor=request.user,
                                    reason=extend_form.cleaned_data["extension_reason"])
                messages.success(request, "Deadline extended by two months.")
                return redirect("privacy:sar_detail", pk=sar.pk)
            if "sent" in request.POST and sent_form.is_valid():
                services.sar_mark_sent(sar=sar, actor=request.user,
                                       sent_on=sent_form.cleaned_data["sent_on"])
                messages.success(request, "Recorded as sent.")
                return redirect("privacy:sar_detail", pk=sar.pk)
            if "withhold" in request.POST and withhold_form.is_valid():
                services.sar_withhold(sar=sar, actor=request.user,
                                      part=withhold_form.part_value,
                                      exemption=withhold_form.cleaned_data["exemption"],
                                      reason=withhold_form.cleaned_data["reason"])
                messages.success(request, "Withheld. The bundle is being prepared again.")
                return redirect("privacy:sar_detail", pk=sar.pk)
        except ValidationError as error:
            if "withhold" in request.POST:
                withhold_form.add_error(None, error)
            else:
                _refuse(request, error)
    return render(request, "privacy/sar_detail.html", {
        "sar": sar, "extend_form": extend_form, "sent_form": sent_form,
        "withhold_form": withhold_form, "withholdings": sar.withholdings.all()})


@permission_required(SAR_PERM, raise_exception=True)
@require_GET
def sar_status(request: HttpRequest, pk: int) -> JsonResponse:
    sar = get_object_or_404(SubjectAccessRequest.objects.only("status", "progress"), pk=pk)
    return JsonResponse({"status": sar.status, "label": sar.get_status_display(),
                         "progress": sar.progress})


@permission_required(SAR_PERM, raise_exception=True)
@require_GET
def sar_download(request: HttpRequest, pk: int) -> HttpResponse:
    sar = get_object_or_404(SubjectAccessRequest.objects.select_related("customer"), pk=pk)
    try:
        archive = services.sar_downloaded(sar=sar, actor=request.user)
    except ValidationError as error:
        _refuse(request, error)
        return redirect("privacy:sar_detail", pk=sar.pk)
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{sar.customer.reference}.zip"')
    return response


@permission_required("privacy.manage_retention", raise_exception=True)
def retention(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            if "dry_run" in request.POST:
                services.retention_dry_run()
                messages.success(request, "Dry run done: nothing has been changed yet.")
            elif "apply" in request.POST:
                run = get_object_or_404(RetentionRun, pk=parse_id(request.POST["apply"]))
                services.retention_apply(run=run, actor=request.user)
                messages.success(request, "Retention applied.")
        except ValidationError as error:
            _refuse(request, error)
        return redirect("privacy:retention")
    runs = RetentionRun.objects.select_related("applied_by")[:20]
    return render(request, "privacy/retention.html", {"runs": runs})


@permission_required("privacy.record_challenge", raise_exception=True)
def challenge_create(request: HttpRequest, customer_pk: int) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=customer_pk)
    form = forms.ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_record(customer=customer, target=customer,
                                      recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The challenge is kept with the customer's record.")
            return redirect("contacts:customer_detail", pk=customer.pk)
    return render(request, "core/form_page.html",
                  {"form": form, "page_title": "Record a challenge to this customer's record"})


@permission_required("privacy.decide_challenge", raise_exception=True)
def challenge_decide(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = get_object_or_404(RecordChallenge.objects.select_related("customer"), pk=pk)
    form = forms.ChallengeDecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_decide(challenge=challenge, actor=request.user,
                                      outcome=form.cleaned_data["outcome"],
                                      note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Decision saved.")
            return redirect("contacts:customer_detail", pk=challenge.customer_id)
    return render(request, "privacy/challenge_decide.html",
                  {"form": form, "challenge": challenge,
                   "page_title": "Decide a challenge to a record"})


@permission_required(SAR_PERM, raise_exception=True)
@require_POST
def sar_retry(request: HttpRequest, pk: int) -> HttpResponse:
    sar = get_object_or_404(SubjectAccessRequest.objects.defer("export"), pk=pk)
    try:
        services.sar_retry(sar=sar, actor=request.user)
    except ValidationError as error:
        _refuse(request, error)
    return redirect("privacy:sar_detail", pk=sar.pk)


LEGAL_HOLD_PERM = "privacy.manage_legal_hold"


@permission_required(LEGAL_HOLD_PERM, raise_exception=True)
def legal_hold(request: HttpRequest, customer_pk: int) -> HttpResponse:
    """Place a legal hold on a customer's records, and see the holds placed before."""
    customer = get_object_or_404(Customer, pk=customer_pk)
    form = forms.LegalHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_hold_place(customer=customer, actor=request.user,
                                      reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Legal hold placed: retention will not touch these "
                                      "records until it is released.")
            return redirect("privacy:legal_hold", customer_pk=customer.pk)
    holds = LegalHold.objects.filter(customer=customer).select_related(
        "placed_by", "released_by")
    in_force = next((h for h in holds if h.in_force), None)
    return render(request, "privacy/legal_hold.html", {
        "customer": customer, "form": form, "holds": holds, "in_force": in_force,
        "release_form": forms.LegalHoldReleaseForm(),
        "page_title": f"Legal hold: {customer.reference}"})


@permission_required(LEGAL_HOLD_PERM, raise_exception=True)
@require_POST
def legal_hold_release(request: HttpRequest, pk: int) -> HttpResponse:
    hold = get_object_or_404(LegalHold.objects.select_related("customer"), pk=pk)
    form = forms.LegalHoldReleaseForm(request.POST)
    if form.is_valid():
        try:
            services.legal_hold_release(hold=hold, actor=request.user,
                                        reason=form.cleaned_data["release_reason"])
        except ValidationError as error:
            _refuse(request, error)
        else:
            messages.success(request, "Legal hold released.")
    else:
        _refuse(request, ValidationError(form.errors["release_reason"]))
    return redirect("privacy:legal_hold", customer_pk=hold.customer_id)

"""Thin views for paragraph 11: parse, check the permission, call a service or selector."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from atrisk import services
from atrisk.constants import SCRIPT, ReportStatus, Source
from atrisk.forms import (
    AssessmentForm,
    DisclosureForm,
    RegisterFilterForm,
    ReportForm,
)
from atrisk.models import AtRiskReport, VitalInterestsDisclosure
from atrisk.selectors import disclosures_for_register, duty_rota, reports_visible_to
from audit.services import audit_record, audit_viewed
from contacts.constants import WRITTEN_CHANNELS, Channel
from contacts.models import Contact
from core.ids import query_id
from core.plumbing import add_service_errors, csv_safe
from core.plumbing import require_perm as _require


def _report_for(request: HttpRequest, pk: int, perm: str = "atrisk.view_report") -> AtRiskReport:
    report = get_object_or_404(
        AtRiskReport.objects.select_related(
            "raised_by", "customer", "case_reference", "contact", "acknowledged_by",
            "assessed_by", "case_note_filed_by",
        ),
        pk=pk,
    )
    _require(request, "atrisk.view_report", report)
    if perm != "atrisk.view_report":
        _require(request, perm, report)
    return report


def report_list(request: HttpRequest) -> HttpResponse:
    """At-risk reports the user may see: the same rule as the detail page."""
    _require(request, "atrisk.list_reports")
    reports = reports_visible_to(request.user)[:200]
    return render(request, "atrisk/report_list.html", {"reports": reports})


def _contact_for(request: HttpRequest) -> Contact | None:
    if not (request.GET.get("contact") or request.POST.get("contact")):
        return None
    pk = query_id(request, "contact")
    if pk is None:
        raise PermissionDenied
    contact = Contact.objects.select_related("customer", "case_reference").filter(
        pk=pk).first()
    # Only the member of staff handling the contact raises a report from it.
    if contact is None or request.user.pk not in (contact.staff_id, contact.taken_over_by_id):
        raise PermissionDenied
    return contact


def _source_for(contact: Contact | None) -> str | None:
    if contact is None:
        return None
    if contact.channel in WRITTEN_CHANNELS:
        return Source.WRITTEN
    return Source.IN_PERSON if contact.channel == Channel.IN_PERSON else Source.TELEPHONE


def report_create(request: HttpRequest) -> HttpResponse:
    """Raise an at-risk report from a contact, a written communication, or nothing (11.2-11.4)."""
    _require(request, "atrisk.raise_report")
    contact = _contact_for(request)
    initial = {"source": _source_for(contact)} if contact else {}
    form = ReportForm(request.POST or None, contact=contact, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_raise(
                raised_by=request.user, contact=contact,
                idempotency_key=data["idempotency_key"],
                customer=data.get("customer"), case_reference=data.get("case_reference"),
                **{k: data[k] for k in (
                    "source", "threat_type", "what_was_said", "threat_made_at",
                    "emergency_advice", "caller_name", "caller_phone",
                    "caller_other_details", "location_given", "case_note")},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"At-risk report {report.pk} sent to senior staff now.")
            return redirect("atrisk:report_detail", pk=report.pk)
    return render(request, "atrisk/report_create.html", {
        "form": form, "contact": contact, "script": SCRIPT,
    })


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One report; every view is written to the access log."""
    report = _report_for(request, pk)
    audit_viewed(actor=request.user, target=report, what="at-risk report")
    user = request.user
    # The reporter (not senior) sees that a senior has it in hand, never the assessment or
    # the disclosures: to whom and why (issue 25; atrisk.rules "atrisk.view_outcome").
    sees_outcome = user.has_perm("atrisk.view_outcome", report)
    return render(request, "atrisk/report_detail.html", {
        "report": report,
        "script": SCRIPT,
        "sees_outcome": sees_outcome,
        "disclosures": report.disclosures.select_related("authorised_by", "registered_by")
        if sees_outcome else None,
        "can_acknowledge": report.status == ReportStatus.RAISED
        and user.has_perm("atrisk.acknowledge_report", report),
        "can_assess": report.status == ReportStatus.ACKNOWLEDGED
        and user.has_perm("atrisk.assess_report", report),
        "can_disclose": report.status != ReportStatus.RAISED
        and user.has_perm("atrisk.record_disclosure", report),
        # 11.2: the telephone note of an ongoing case, not yet filed with it.
        "can_file_note": report.case_reference_id is not None and bool(report.case_note)
        and report.case_note_filed_at is None
        and user.has_perm("atrisk.file_case_note", report),
    })


@require_POST
def report_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """A senior member of staff takes the report on (11.2)."""
    report = _report_for(request, pk, "atrisk.acknowledge_report")
    try:
        services.report_acknowledge(report=report, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "You have acknowledged this report.")
    return redirect("atrisk:report_detail", pk=report.pk)


def report_assess(request: HttpRequest, pk: int) -> HttpResponse:
    """The senior assessment (11.5)."""
    report = _report_for(request, pk, "atrisk.assess_report")
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_assess(report=report, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Assessment saved.")
            return redirect("atrisk:report_detail", pk=report.pk)
    return render(request, "atrisk/report_assess.html", {"form": form, "report": report})


@require_POST
def report_file_note(request: HttpRequest, pk: int) -> HttpResponse:
    """11.2: file the telephone note with the case (as 8.1's log copy)."""
    report = _report_for(request, pk, "atrisk.file_case_note")
    try:
        services.report_note_file(report=report, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Telephone note filed with the case.")
    return redirect("atrisk:report_detail", pk=report.pk)


def disclosure_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a vital-interests disclosure (11.6)."""
    report = _report_for(request, pk, "atrisk.record_disclosure")
    form = DisclosureForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.disclosure_record(report=report, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Disclosure recorded. Compliance have been told.")
            return redirect("atrisk:report_detail", pk=report.pk)
    return render(request, "atrisk/disclosure_create.html", {"form": form, "report": report})


def _register_rows(request: HttpRequest):
    form = RegisterFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None
    data = form.cleaned_data if form.is_bound else {}
    rows = disclosures_for_register(
        date_from=data.get("date_from"), date_to=data.get("date_to"),
        recipient_type=data.get("recipient_type", ""), state=data.get("state", ""),
    )
    return form, rows


def register(request: HttpRequest) -> HttpResponse:
    """The disclosure register kept by Compliance (11.6)."""
    _require(request, "atrisk.view_register")
    form, rows = _register_rows(request)
    query = request.GET.urlencode()
    return render(request, "atrisk/register_list.html", {
        "form": form, "disclosures": rows[:500] if rows is not None else None, "query": query,
    })


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def register_csv(request: HttpRequest) -> HttpResponse:
    """The filtered register as CSV; the download itself is audited."""
    _require(request, "atrisk.view_register")
    _form, rows = _register_rows(request)
    if rows is None:
        return HttpResponseBadRequest("The filters are not valid.", content_type="text/plain")
    rows = list(rows)
    audit_record(actor=request.user, action="vitalinterestsdisclosure.exported",
                 changes={"filters": request.GET.dict(), "rows": [d.pk for d in rows]})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="disclosure-register.csv"'
    writer = csv.writer(response)
    writer.writerow([
        "Disclosure", "At-risk report", "Disclosed at", "Kind of authority",
        "Recipient authority", "Exactly what was disclosed", "Why necessary to protect life",
        "Less intrusive options considered", "Could the person consent",
        "Why consent was not relied on", "Authorised by", "Recorded by",
        "Recorded in register at", "Recorded in register by",
    ])
    for d in rows:
        writer.writerow([csv_safe(v) for v in (
            d.pk, d.report_id, _when(d.disclosed_at), d.get_recipient_type_display(),
            d.recipient_authority, d.what_was_disclosed, d.necessity, d.less_intrusive_options,
            d.get_consent_display(), d.consent_explanation, d.authorised_by, d.recorded_by,
            _when(d.registered_at), d.registered_by or "",
        )])
    return response


@require_POST
def disclosure_register_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Compliance record the disclosure in the register (11.6)."""
    _require(request, "atrisk.register_disclosure")
    disclosure = get_object_or_404(VitalInterestsDisclosure, pk=pk)
    try:
        services.disclosure_register(disclosure=disclosure, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Disclosure {disclosure.pk} recorded in the register.")
    return redirect("atrisk:register")


def duty_rota_view(request: HttpRequest) -> HttpResponse:
    """Who is on duty to receive at-risk reports, now and next (11.2)."""
    _require(request, "atrisk.view_duty_rota")
    now = timezone.now()
    shifts = list(duty_rota(now=now)[:100])
    return render(request, "atrisk/dutyrota_list.html", {
        "current": [s for s in shifts if s.starts_at <= now],
        "upcoming": [s for s in shifts if s.starts_at > now],
    })

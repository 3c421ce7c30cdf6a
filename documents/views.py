"""Thin views: check the permission, call a service or selector, render or send the file."""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.plumbing import add_service_errors as _show_errors
from documents import customers, selectors, services
from documents.constants import DocumentKind
from documents.forms import LetterIssueForm
from documents.models import StoredDocument


def _require(request: HttpRequest, perm: str, obj=None) -> None:
    """Deny by default; the declared rules only (a superuser is not exempt)."""
    if not rules.has_perm(perm, request.user, obj):
        raise PermissionDenied


def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored PDF, byte for byte as issued; each download is audited."""
    document = get_object_or_404(StoredDocument.objects.select_related("source_type"), pk=pk)
    _require(request, "documents.download_document", document)
    try:
        data = services.document_read(document=document, actor=request.user)
    except services.DocumentIntegrityError:
        return render(request, "documents/document_damaged.html", {"document": document},
                      status=409)
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if request.GET.get("view") == "1" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{document.filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _letter_done(request, document) -> None:
    messages.success(request, f"Letter {document.reference} issued and kept. Download it from "
                              "the documents list to print and send it.")


def restriction_letter_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the letter about a restriction's latest decision (12), in the chosen language."""
    from restrictions.models import Restriction

    restriction = get_object_or_404(
        Restriction.objects.select_related("customer", "decided_by"), pk=pk)
    _require(request, "restrictions.record_letter", restriction)
    transition, kind = selectors.letter_occasion(restriction)
    needs_why = kind in (DocumentKind.RESTRICTION_DECIDED, DocumentKind.ADJUSTMENT_AGREED,
                         DocumentKind.RESTRICTION_RENEWED)
    initial = {"language": customers.preferred_language(restriction.customer),
               "why": transition.reason if transition is not None else ""}
    form = LetterIssueForm(request.POST or None, initial=initial, needs_why=needs_why)
    if transition is not None and request.method == "POST" and form.is_valid():
        try:
            document = services.restriction_letter_issue(
                restriction=restriction, actor=request.user,
                language=form.cleaned_data["language"],
                why=form.cleaned_data.get("why", ""))
        except ValidationError as error:
            _show_errors(form, error)
        else:
            _letter_done(request, document)
            return redirect("restrictions:detail", restriction.pk)
    return render(request, "documents/letter_issue.html", {
        "form": form if transition is not None else None, "page_title": "Issue the letter",
        "restriction": restriction,
        "kind_label": DocumentKind(kind).label if kind else "",
        "preferred": customers.preferred_language(restriction.customer),
    })


def appeal_letter_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the letter with the outcome of an appeal."""
    from restrictions.models import Appeal

    appeal = get_object_or_404(Appeal.objects.select_related("restriction__customer"), pk=pk)
    restriction = appeal.restriction
    _require(request, "restrictions.record_letter", restriction)
    form = LetterIssueForm(request.POST or None, needs_why=False,
                           initial={"language": customers.preferred_language(
                               restriction.customer)})
    if request.method == "POST" and form.is_valid():
        try:
            document = services.appeal_letter_issue(
                appeal=appeal, actor=request.user, language=form.cleaned_data["language"])
        except ValidationError as error:
            _show_errors(form, error)
        else:
            _letter_done(request, document)
            return redirect("restrictions:detail", restriction.pk)
    return render(request, "documents/letter_issue.html", {
        "form": form, "page_title": "Issue the appeal outcome letter",
        "restriction": restriction, "kind_label": DocumentKind.APPEAL_OUTCOME.label,
        "preferred": customers.preferred_language(restriction.customer),
    })


@require_POST
def calllog_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """8.1: store the case-file PDF of a terminated-call log."""
    from callogs.models import TerminatedCallLog

    log = get_object_or_404(TerminatedCallLog.objects.select_related("author"), pk=pk)
    _require(request, "callogs.place_in_case_file", log)
    try:
        document = services.calllog_copy_store(log=log, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Case-file copy {document.reference} kept.")
    return redirect(reverse("callogs:log_detail", args=[log.pk]))


@require_POST
def atrisk_note(request: HttpRequest, pk: int) -> HttpResponse:
    """11.2: store the telephone note of the threats for the case file."""
    from atrisk.models import AtRiskReport

    report = get_object_or_404(AtRiskReport, pk=pk)
    _require(request, "atrisk.view_report", report)
    try:
        document = services.atrisk_note_store(report=report, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Telephone note {document.reference} kept for the case file.")
    return redirect(reverse("atrisk:report_detail", args=[report.pk]))

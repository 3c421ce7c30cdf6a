"""Case-management sync: exports for the case file (8.1, 11.2) and the confirmation that a
copy was placed in it. Only records that relate to a case are exported."""

import logging

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from api import services
from api.constants import ExportKind, Scope
from api.models import CaseFileReceipt
from api.selectors import site_url
from api.serializers import (
    CustomerUpsertOutSerializer,
    CustomerUpsertSerializer,
    PlacedInCaseFileInSerializer,
)
from api.services_customers import customer_upsert
from api.views import ERRORS, PROBLEM, ClientAPIView
from atrisk.models import AtRiskReport
from audit.services import audit_viewed
from callogs.constants import EDITABLE_STATUSES
from callogs.models import TerminatedCallLog

logger = logging.getLogger(__name__)


class CallLogExportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case_reference = serializers.CharField()
    caller_name = serializers.CharField(help_text="Name of caller (if known)")
    call_at = serializers.DateTimeField(help_text="Date and time of call")
    reason = serializers.CharField(help_text="Reason for terminating the call")
    staff_name = serializers.CharField(help_text="Your name (the staff member's)")
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    placed_in_case_file_at = serializers.DateTimeField(allow_null=True)
    printable_copy = serializers.URLField(
        help_text="The stored case-file PDF (8.1), exactly as filed: GET it with this key")


class AtRiskNoteExportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case_reference = serializers.CharField()
    threat_type = serializers.CharField()
    threat_made_at = serializers.DateTimeField()
    telephone_note = serializers.CharField(help_text="11.2: details of the threats for the "
                                                     "telephone note on the case file")
    raised_at = serializers.DateTimeField()
    placed_in_case_file_at = serializers.DateTimeField(allow_null=True)
    printable_copy = serializers.URLField(
        help_text="The stored telephone-note PDF (11.2), exactly as filed: GET it with this key")


class PlacedOutSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ExportKind.choices)
    id = serializers.IntegerField()
    case_reference = serializers.CharField()
    placed_in_case_file_at = serializers.DateTimeField()
    created = serializers.BooleanField(help_text="False when already confirmed")


def _receipt_at(kind: str, pk: int):
    return (CaseFileReceipt.objects.filter(kind=kind, object_id=pk)
            .values_list("confirmed_at", flat=True).first())


def _exportable_log(pk: int) -> TerminatedCallLog:
    return get_object_or_404(TerminatedCallLog.objects.exclude(case_reference="")
                             .exclude(status__in=EDITABLE_STATUSES), pk=pk)


def _exportable_note(pk: int) -> AtRiskReport:
    return get_object_or_404(AtRiskReport.objects.select_related("case_reference")
                             .filter(case_reference__isnull=False).exclude(case_note=""), pk=pk)


class CallLogExportView(ClientAPIView):
    """A submitted terminated-call log that relates to a case (8.1), for the case file."""

    required_scope = Scope.CASES

    @extend_schema(responses={200: CallLogExportSerializer, **ERRORS, 404: PROBLEM})
    def get(self, request, pk: int):
        log = _exportable_log(pk)
        audit_viewed(actor=self.client.account, target=log, what="case-file export")
        return Response(CallLogExportSerializer({
            "id": log.pk, "case_reference": log.case_reference, "caller_name": log.caller_name,
            "call_at": log.call_at, "reason": log.reason, "staff_name": log.staff_name,
            "status": log.status, "submitted_at": log.submitted_at,
            "placed_in_case_file_at": log.placed_in_case_file_at,
            "printable_copy": site_url(reverse("api:calllog_pdf", args=[log.pk])),
        }).data)


class AtRiskNoteExportView(ClientAPIView):
    """The telephone note of an at-risk call on an ongoing case (11.2), for the case file."""

    required_scope = Scope.CASES

    @extend_schema(responses={200: AtRiskNoteExportSerializer, **ERRORS, 404: PROBLEM})
    def get(self, request, pk: int):
        report = _exportable_note(pk)
        audit_viewed(actor=self.client.account, target=report, what="case-file export")
        return Response(AtRiskNoteExportSerializer({
            "id": report.pk, "case_reference": report.case_reference.reference,
            "threat_type": report.threat_type, "threat_made_at": report.threat_made_at,
            "telephone_note": report.case_note, "raised_at": report.raised_at,
            "placed_in_case_file_at": _receipt_at(ExportKind.AT_RISK_NOTE, report.pk),
            "printable_copy": site_url(reverse("api:atrisk_note_pdf", args=[report.pk])),
        }).data)


class StoredCopyUnavailable(APIException):
    status_code = 503
    default_detail = "The stored copy cannot be read just now; the service has been told."
    default_code = "stored_copy_unavailable"


class _PdfView(ClientAPIView):
    """The stored case-file PDF itself (documents.StoredDocument), made once and served as
    filed: ``application/pdf``, its SHA-256 in ``ETag`` and ``Digest``-style header."""

    required_scope = Scope.CASES

    def record(self, pk: int):
        raise NotImplementedError

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, **ERRORS,
                              404: PROBLEM, 503: PROBLEM})
    def get(self, request, pk: int):
        from documents.services import DocumentIntegrityError, case_file_copy_for_system

        record = self.record(pk)
        try:
            document, data = case_file_copy_for_system(source=record,
                                                       actor=self.client.account)
        except DocumentIntegrityError as error:
            logger.error("stored case-file copy unreadable document=%s", record.pk)
            raise StoredCopyUnavailable() from error
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
        response["ETag"] = f'"{document.sha256}"'
        response["X-Content-SHA256"] = document.sha256
        response["Cache-Control"] = "no-store"
        return response


class CallLogPdfView(_PdfView):
    """The stored case-file PDF of a terminated-call log (8.1)."""

    def record(self, pk: int):
        return _exportable_log(pk)


class AtRiskNotePdfView(_PdfView):
    """The stored telephone-note PDF of an at-risk call on an ongoing case (11.2)."""

    def record(self, pk: int):
        return _exportable_note(pk)


class _PlacedView(ClientAPIView):
    required_scope = Scope.CASES
    kind = ""

    def record(self, pk: int):
        raise NotImplementedError

    @extend_schema(request=PlacedInCaseFileInSerializer,
                   responses={201: PlacedOutSerializer, 200: PlacedOutSerializer, **ERRORS,
                              404: PROBLEM})
    def post(self, request, pk: int):
        data = PlacedInCaseFileInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = self.record(pk)
        receipt, created = services.case_file_confirm(
            client=self.client, kind=self.kind, record=record,
            case_reference=data.validated_data["case_reference"])
        return Response(PlacedOutSerializer({
            "kind": self.kind, "id": record.pk, "case_reference": receipt.case_reference,
            "placed_in_case_file_at": receipt.confirmed_at, "created": created,
        }).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class CallLogPlacedView(_PlacedView):
    """Confirm a terminated-call log was placed in the case file (8.1)."""

    kind = ExportKind.TERMINATED_CALL_LOG

    def record(self, pk: int):
        return _exportable_log(pk)


class AtRiskNotePlacedView(_PlacedView):
    """Confirm an at-risk telephone note was placed in the case file (11.2)."""

    kind = ExportKind.AT_RISK_NOTE

    def record(self, pk: int):
        return _exportable_note(pk)


class CustomerUpsertView(ClientAPIView):
    """Create or update a customer and their case references by the case system's own id."""

    required_scope = Scope.CASES

    @extend_schema(request=CustomerUpsertSerializer,
                   responses={201: CustomerUpsertOutSerializer, 200: CustomerUpsertOutSerializer,
                              **ERRORS})
    def put(self, request, external_id: str):
        if len(external_id) > 100:
            raise serializers.ValidationError({"external_id": ["At most 100 characters."]})
        data = CustomerUpsertSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        customer, created = customer_upsert(client=self.client, external_id=external_id,
                                            details=dict(data.validated_data))
        return Response(CustomerUpsertOutSerializer({
            "external_id": external_id, "id": customer.pk, "reference": customer.reference,
            "created": created, "deep_link": site_url(f"/customers/{customer.pk}/"),
        }).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

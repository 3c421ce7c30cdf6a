"""Case-file copies: the terminated-call log (8.1, appendix) and the at-risk note (11.2)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import dateformat, timezone

from callogs import services as callog_services
from contacts.models import CaseReference
from documents import services
from documents.constants import DocumentKind
from documents.models import StoredDocument, documents_storage
from tests.atrisk.factories import AtRiskReportFactory
from tests.callogs.factories import DraftLogFactory, SubmittedLogFactory, TerminatedContactFactory
from tests.documents.conftest import pdf_text, structure_tags


@pytest.fixture
def log(org):
    contact = TerminatedContactFactory(customer=org.customer, staff=org.caseworker)
    return SubmittedLogFactory(contact=contact, author=org.caseworker,
                               caller_name="Alex Morgan", staff_name="Casey Worker",
                               reason="Swore at me twice after a warning (7.4.3).")


def test_the_log_copy_holds_every_appendix_field(org, log):
    document = services.calllog_copy_store(log=log, actor=org.caseworker)
    text = pdf_text(documents_storage().open(document.file.name).read())
    call_at = dateformat.format(timezone.localtime(log.call_at), "j F Y, H:i")
    for label, value in (("Name of caller (if known)", "Alex Morgan"),
                         ("Case reference (where applicable)", log.case_reference),
                         ("Date and time of call", call_at),
                         ("Reason for terminating the call",
                          "Swore at me twice after a warning (7.4.3)."),
                         ("Your name", "Casey Worker")):
        assert f"{label} {value}" in text, label
    assert "Information Commissioner's Office" in text
    assert "Record of a terminated call" in text
    assert document.kind == DocumentKind.TERMINATED_CALL_LOG
    assert document.customer == org.customer
    # The appendix fields are a tagged table: each value read with its label.
    assert {"/H1", "/Table", "/TH", "/TD"} <= structure_tags(
        documents_storage().open(document.file.name).read())


def test_placing_the_log_in_the_case_file_keeps_its_pdf(org, log):
    """8.1: "place a copy of the log in the case file": the copy filed is the stored PDF."""
    callog_services.calllog_place_in_case_file(log=log, actor=org.manager)
    document = StoredDocument.objects.get(kind=DocumentKind.TERMINATED_CALL_LOG)
    assert document.source == log
    assert document.issued_by == org.manager


def test_a_draft_log_has_no_copy_yet(org):
    draft = DraftLogFactory(contact=TerminatedContactFactory(staff=org.caseworker),
                            author=org.caseworker)
    with pytest.raises(ValidationError, match="line manager first"):
        services.calllog_copy_store(log=draft, actor=org.caseworker)


@pytest.mark.parametrize("who", ["compliance", "head", "admin", "superuser"])
def test_only_the_author_and_their_line_manager_file_a_copy(org, log, who):
    with pytest.raises(PermissionDenied):
        services.calllog_copy_store(log=log, actor=getattr(org, who))


def test_the_copy_is_made_once(org, log):
    first = services.calllog_copy_store(log=log, actor=org.caseworker)
    again = services.calllog_copy_store(log=log, actor=org.manager)
    assert again.pk == first.pk
    assert again.issued_by == org.caseworker


@pytest.fixture
def report(org):
    case = CaseReference.objects.create(reference="RFA0099887", customer=org.customer)
    return AtRiskReportFactory(raised_by=org.caseworker, customer=org.customer,
                               case_reference=case, caller_phone="07700 900123",
                               location_given="At home", case_note="Advised 999.")


def test_the_telephone_note_holds_the_details_of_the_threats(org, report):
    document = services.atrisk_note_store(report=report, actor=org.caseworker)
    text = pdf_text(documents_storage().open(document.file.name).read())
    for expected in ("RFA0099887", "They said they would hurt themselves tonight.",
                     "07700 900123", "At home", "Advised 999.", "Casey Worker",
                     "Telephone note: threats made during a call"):
        assert expected in text, expected


def test_no_telephone_note_without_an_ongoing_case(org):
    report = AtRiskReportFactory(raised_by=org.caseworker, customer=org.customer)
    with pytest.raises(ValidationError, match="ongoing case"):
        services.atrisk_note_store(report=report, actor=org.caseworker)


@pytest.mark.parametrize("who", ["manager", "head", "admin", "superuser"])
def test_only_those_who_see_the_report_file_its_note(org, report, who):
    with pytest.raises(PermissionDenied):
        services.atrisk_note_store(report=report, actor=getattr(org, who))

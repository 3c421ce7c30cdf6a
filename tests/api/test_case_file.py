"""Case-management exports: a terminated-call log (8.1) and an at-risk telephone note (11.2)
as JSON with a link to the stored PDF (served as filed), and the case system's "placed in case file"
confirmation (idempotent: the same confirmation twice is one record)."""

import pytest

from api.models import CaseFileReceipt
from audit.models import AuditEvent
from tests.atrisk.factories import AtRiskReportFactory
from tests.callogs.factories import DraftLogFactory, SubmittedLogFactory

pytestmark = pytest.mark.django_db
LOGS = "/api/v1/case-file/terminated-call-logs"
NOTES = "/api/v1/case-file/at-risk-notes"


@pytest.fixture
def log():
    return SubmittedLogFactory(case_reference="RFA0001234", reason="Abusive language.")


def test_terminated_call_log_export(api, log, full_client):
    response = api.get(f"{LOGS}/{log.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["case_reference"] == "RFA0001234"
    assert body["reason"] == "Abusive language."  # the appendix's fields, for the case file
    assert body["printable_copy"].endswith(f"{LOGS}/{log.pk}/pdf")
    assert body["placed_in_case_file_at"] is None
    viewed = AuditEvent.objects.get(action="terminatedcalllog.viewed")
    assert viewed.actor_id == full_client[0].account_id


def test_draft_or_caseless_logs_are_not_exported(api):
    assert api.get(f"{LOGS}/{DraftLogFactory(case_reference='RFA0001235').pk}").status_code \
        == 404
    assert api.get(f"{LOGS}/{SubmittedLogFactory(case_reference='').pk}").status_code == 404


def test_placed_in_case_file_marks_the_log_once(api, log, full_client):
    first = api.post(f"{LOGS}/{log.pk}/placed", {"case_reference": "rfa0001234"},
                     format="json")
    again = api.post(f"{LOGS}/{log.pk}/placed", {"case_reference": "RFA0001234"},
                     format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["created"] is False
    log.refresh_from_db()
    assert log.placed_in_case_file_at is not None
    assert log.placed_in_case_file_by_id == full_client[0].account_id  # 8.1: by the system
    assert CaseFileReceipt.objects.count() == 1
    assert api.get(f"{LOGS}/{log.pk}").json()["placed_in_case_file_at"] is not None


def test_placed_for_another_case_is_refused(api, log):
    response = api.post(f"{LOGS}/{log.pk}/placed", {"case_reference": "RFA0009999"},
                        format="json")
    assert response.status_code == 400
    assert "case_reference" in response.json()["errors"]


@pytest.fixture
def note():
    from tests.contacts.factories import CaseReferenceFactory

    case = CaseReferenceFactory(reference="RFA0005555")
    return AtRiskReportFactory(customer=case.customer, case_reference=case,
                               case_note="Caller said they would harm themselves; advised 999.")


def test_at_risk_note_export_and_placed(api, note):
    body = api.get(f"{NOTES}/{note.pk}").json()
    assert body["case_reference"] == "RFA0005555"
    assert body["telephone_note"].startswith("Caller said")
    assert body["printable_copy"].endswith(f"{NOTES}/{note.pk}/pdf")
    placed = api.post(f"{NOTES}/{note.pk}/placed", {"case_reference": "RFA0005555"},
                      format="json")
    assert placed.status_code == 201
    assert api.get(f"{NOTES}/{note.pk}").json()["placed_in_case_file_at"] is not None
    # 11.2: filed with the case through the at-risk service, as a log is (8.1)
    note.refresh_from_db()
    assert note.case_note_filed_at is not None
    assert note.case_note_filed_by is not None
    assert note.case_note_filed_by != note.raised_by  # the case system's own account


def test_a_note_staff_already_filed_is_confirmed_by_the_case_system(api, note, make_user):
    from accounts.constants import Role
    from atrisk.services import report_note_file

    note.raised_by.groups.add(make_user(Role.CASEWORKER).groups.get())  # customer-facing
    report_note_file(report=note, actor=note.raised_by)
    placed = api.post(f"{NOTES}/{note.pk}/placed", {"case_reference": "RFA0005555"},
                      format="json")
    assert placed.status_code == 201
    note.refresh_from_db()
    assert note.case_note_filed_by == note.raised_by


def test_at_risk_report_without_a_case_note_is_not_exported(api):
    assert api.get(f"{NOTES}/{AtRiskReportFactory().pk}").status_code == 404


# The stored PDFs themselves (issue 22) -------------------------------------------------------

@pytest.fixture
def store(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "documents")}}}
    return tmp_path / "documents"


def _pdf_text(data: bytes) -> str:
    import io

    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def test_the_log_pdf_is_the_stored_case_file_copy(api, log, store, full_client):
    """The link in the export serves the stored bytes, with the right content type."""
    import hashlib

    from documents.constants import DocumentKind
    from documents.models import StoredDocument

    url = api.get(f"{LOGS}/{log.pk}").json()["printable_copy"]
    response = api.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert data.startswith(b"%PDF")
    document = StoredDocument.objects.get(kind=DocumentKind.TERMINATED_CALL_LOG,
                                          source_id=log.pk)
    assert hashlib.sha256(data).hexdigest() == document.sha256
    assert response["ETag"] == f'"{document.sha256}"'
    assert f'filename="{document.reference}.pdf"' in response["Content-Disposition"]
    assert (store / document.file.name).read_bytes() == data
    assert "Abusive language." in _pdf_text(data)
    # a second fetch is the same bytes and no second document
    again = api.get(f"{LOGS}/{log.pk}/pdf")
    assert again.content == data
    assert StoredDocument.objects.count() == 1
    downloads = AuditEvent.objects.filter(action="storeddocument.downloaded")
    assert downloads.count() == 2
    assert {e.actor_id for e in downloads} == {full_client[0].account_id}


def test_a_copy_staff_already_filed_is_the_one_served(api, log, store):
    from documents import services as documents_services

    filed = documents_services.calllog_copy_store(log=log, actor=log.author)
    data = api.get(f"{LOGS}/{log.pk}/pdf").content
    assert data == (store / filed.file.name).read_bytes()


def test_the_note_pdf_is_served(api, note, store):
    response = api.get(f"{NOTES}/{note.pk}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Caller said they would harm themselves" in _pdf_text(response.content)


def test_no_pdf_for_a_draft_or_caseless_record(api, store):
    assert api.get(f"{LOGS}/{DraftLogFactory(case_reference='RFA0001236').pk}/pdf"
                   ).status_code == 404
    assert api.get(f"{NOTES}/{AtRiskReportFactory().pk}/pdf").status_code == 404


def test_a_damaged_stored_copy_is_a_problem_not_a_500(api, log, store):
    from documents.models import StoredDocument

    api.get(f"{LOGS}/{log.pk}/pdf")
    document = StoredDocument.objects.get()
    with open(store / document.file.name, "ab") as handle:
        handle.write(b"tampered")
    response = api.get(f"{LOGS}/{log.pk}/pdf")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"


def test_a_client_without_the_cases_scope_gets_no_pdf(make_client, api_for, log, store):
    from documents.models import StoredDocument

    _client, key = make_client(scopes=["lookup", "calls", "webhooks"])
    response = api_for(key).get(f"{LOGS}/{log.pk}/pdf")
    assert response.status_code == 403
    assert not StoredDocument.objects.exists()


def test_staff_cannot_use_the_system_service(log, store):
    """The service itself refuses a member of staff (they use document_read)."""
    from django.core.exceptions import PermissionDenied

    from documents import services as documents_services

    with pytest.raises(PermissionDenied):
        documents_services.case_file_copy_for_system(source=log, actor=log.author)

"""Case-management exports: a terminated-call log (8.1) and an at-risk telephone note (11.2)
as JSON with a link to the printable copy, and the case system's "placed in case file"
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
    assert body["printable_copy"].endswith(f"/call-logs/{log.pk}/print/")
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
    assert body["printable_copy"].endswith(f"/at-risk/{note.pk}/")
    placed = api.post(f"{NOTES}/{note.pk}/placed", {"case_reference": "RFA0005555"},
                      format="json")
    assert placed.status_code == 201
    assert api.get(f"{NOTES}/{note.pk}").json()["placed_in_case_file_at"] is not None


def test_at_risk_report_without_a_case_note_is_not_exported(api):
    assert api.get(f"{NOTES}/{AtRiskReportFactory().pk}").status_code == 404

"""Issue 25: the reporter of an at-risk report sees that a senior has it in hand, never the
senior's decision (the assessment, the agencies contacted, the disclosures: to whom and why).
Proved both ways, on the report page, the list, the register and its CSV, the case-file
telephone note (PDF) and the integration API's export."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from atrisk.constants import ReportStatus
from tests.atrisk.factories import AcknowledgedReportFactory, DisclosureFactory
from tests.contacts.factories import CaseReferenceFactory

pytestmark = pytest.mark.django_db

# What only those who decide see (each string appears on the page of someone who may).
SECRETS = ("Metropolitan Police control room", "A plan and a time were given",
           "Asked them to call 999; they refused.", "They refused and delay risked",
           "Name, phone number, location given.", "Local mental health crisis team",
           "Crisis team will visit", "Senior assessment note: known to services")


@pytest.fixture
def cast(make_user):
    manager = make_user(Role.LINE_MANAGER)
    return {"reporter": make_user(Role.CASEWORKER, line_manager=manager),
            "senior": make_user(Role.SENIOR_STAFF, last_name="Seniorperson"),
            "compliance": make_user(Role.COMPLIANCE)}


@pytest.fixture
def decided(cast):
    case = CaseReferenceFactory(reference="RFA0007777")
    report = AcknowledgedReportFactory(
        raised_by=cast["reporter"], acknowledged_by=cast["senior"], customer=case.customer,
        case_reference=case, case_note="Caller said they would hurt themselves; advised 999.",
        status=ReportStatus.ASSESSED, assessed_by=cast["senior"], assessed_at=timezone.now(),
        agencies_contacted=True, agencies="Local mental health crisis team",
        agencies_contacted_at=timezone.now(), agencies_outcome="Crisis team will visit",
        assessment_notes="Senior assessment note: known to services")
    DisclosureFactory(report=report, authorised_by=cast["senior"],
                      recorded_by=cast["senior"])
    return report


def _page(client_for, user, report):
    response = client_for(user).get(reverse("atrisk:report_detail", args=[report.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_reporter_sees_only_that_a_senior_has_it_in_hand(cast, decided, client_for):
    page = _page(client_for, cast["reporter"], decided)
    assert "A senior member of staff has this in hand and has decided what to do" in page
    for secret in SECRETS:
        assert secret not in page, secret
    assert "Disclosure 1" not in page
    assert "Record a disclosure" not in page
    # what they reported is still theirs to see
    assert "They said they would hurt themselves tonight." in page


@pytest.mark.parametrize("who", ["senior", "compliance"])
def test_senior_staff_and_compliance_see_the_details(cast, decided, client_for, who):
    page = _page(client_for, cast[who], decided)
    for secret in SECRETS:
        assert secret in page, (who, secret)
    assert "has this in hand" not in page


def test_before_anyone_acknowledges_the_reporter_is_told_it_has_gone_to_the_duty_senior(
        cast, client_for):
    from tests.atrisk.factories import AtRiskReportFactory

    report = AtRiskReportFactory(raised_by=cast["reporter"])
    page = _page(client_for, cast["reporter"], report)
    assert "gone to the senior staff on duty" in page


def test_a_senior_who_raised_the_report_still_sees_the_details(cast, client_for):
    """The rule is about the role, not about having raised it."""
    report = AcknowledgedReportFactory(raised_by=cast["senior"])
    DisclosureFactory(report=report)
    page = _page(client_for, cast["senior"], report)
    assert "Metropolitan Police control room" in page


def test_the_list_shows_the_reporter_no_details(cast, decided, client_for):
    page = client_for(cast["reporter"]).get(reverse("atrisk:report_list")).content.decode()
    assert f"Report {decided.pk}" in page
    for secret in SECRETS:
        assert secret not in page


@pytest.mark.parametrize("name", ["atrisk:register", "atrisk:register_csv"])
def test_the_register_and_its_export_are_compliance_only(cast, decided, client_for, name):
    assert client_for(cast["reporter"]).get(reverse(name)).status_code == 403
    response = client_for(cast["compliance"]).get(reverse(name))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Metropolitan Police control room" in body


def test_the_case_file_note_and_the_api_export_hold_no_decision(cast, decided, settings,
                                                               tmp_path, make_user):
    """What leaves for the case file (the PDF note, the API export) is the reporter's note
    only: the senior's decision and any disclosure stay here."""
    import io

    import pypdf
    from rest_framework.test import APIClient

    from api import services as api_services
    from documents import services as documents_services
    from documents.models import documents_storage

    settings.STORAGES = {**settings.STORAGES, "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}
    document = documents_services.atrisk_note_store(report=decided, actor=cast["reporter"])
    reader = pypdf.PdfReader(io.BytesIO(documents_storage().open(document.file.name).read()))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert "advised 999" in text
    _client, key = api_services.client_register(
        actor=make_user(Role.ADMINISTRATOR), name="CMEH", kind="case_management",
        scopes=["cases"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    body = api.get(f"/api/v1/case-file/at-risk-notes/{decided.pk}").content.decode()
    assert "advised 999" in body
    for secret in SECRETS:
        assert secret not in text, secret
        assert secret not in body, secret

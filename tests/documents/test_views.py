"""Pages and downloads: every role both ways, the superuser too; each download audited."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.constants import Role
from audit.models import AuditEvent
from contacts.models import CaseReference
from documents import services
from documents.models import StoredDocument, documents_storage
from tests.atrisk.factories import AtRiskReportFactory
from tests.callogs.factories import SubmittedLogFactory, TerminatedContactFactory

WHY = "You shouted at our staff on three calls."
ROLES = ["caseworker", "manager", "senior", "head", "compliance", "admin", "other_hod",
         "superuser"]


@pytest.fixture
def letter(org, decided):
    return services.restriction_letter_issue(restriction=decided, actor=org.manager, why=WHY)


@pytest.fixture
def log_copy(org):
    contact = TerminatedContactFactory(customer=org.customer, staff=org.caseworker)
    log = SubmittedLogFactory(contact=contact, author=org.caseworker)
    return services.calllog_copy_store(log=log, actor=org.caseworker)


@pytest.fixture
def atrisk_note(org):
    case = CaseReference.objects.create(reference="RFA0011223", customer=org.customer)
    report = AtRiskReportFactory(raised_by=org.caseworker, customer=org.customer,
                                 case_reference=case)
    return services.atrisk_note_store(report=report, actor=org.caseworker)


# Who may open each kind (the record's own rule); everyone else is refused.
ALLOWED = {
    "letter": {"manager", "senior", "head", "compliance", "other_hod"},
    "log_copy": {"caseworker", "manager", "senior", "head", "compliance"},  # callogs.view_log
    "atrisk_note": {"caseworker", "senior", "compliance"},
}


@pytest.mark.parametrize("kind", sorted(ALLOWED))
@pytest.mark.parametrize("who", ROLES)
def test_download_permission_both_ways(request, org, client_for, kind, who):
    document = request.getfixturevalue(kind)
    response = client_for(getattr(org, who)).get(
        reverse("documents:download", args=[document.pk]))
    if who in ALLOWED[kind]:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
    else:
        assert response.status_code == 403
        assert not AuditEvent.objects.filter(action="storeddocument.downloaded").exists()


def test_a_superuser_with_a_role_gets_what_the_role_gets(org, client_for, letter):
    """The superuser flag neither opens nor closes anything: only roles and relationships."""
    org.superuser.groups.add(Group.objects.get(name=Role.COMPLIANCE))
    response = client_for(org.superuser).get(reverse("documents:download", args=[letter.pk]))
    assert response.status_code == 200


def test_anonymous_is_sent_to_sign_in(client, letter):
    response = client.get(reverse("documents:download", args=[letter.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_download_is_the_stored_bytes_and_each_download_is_audited(org, client_for, letter):
    stored = documents_storage().open(letter.file.name).read()
    client = client_for(org.manager)
    url = reverse("documents:download", args=[letter.pk])
    first, second = client.get(url), client.get(url)
    assert first.content == stored
    assert second.content == stored
    assert f'filename="{letter.reference}.pdf"' in first["Content-Disposition"]
    assert "no-store" in first["Cache-Control"]
    events = AuditEvent.objects.filter(action="storeddocument.downloaded",
                                       target_id=str(letter.pk))
    assert events.count() == 2
    assert set(events.values_list("actor", flat=True)) == {org.manager.pk}


def test_a_damaged_file_is_a_clear_refusal_not_a_500(org, client_for, letter):
    with open(documents_storage().path(letter.file.name), "wb") as handle:
        handle.write(b"%PDF-1.7 something else")
    response = client_for(org.manager).get(reverse("documents:download", args=[letter.pk]))
    assert response.status_code == 409
    assert b"cannot be opened" in response.content


def test_unknown_document_is_404(org, client_for):
    assert client_for(org.manager).get(
        reverse("documents:download", args=[999999])).status_code == 404


@pytest.mark.parametrize("who", ROLES)
def test_issue_letter_page_both_ways(org, client_for, decided, who):
    response = client_for(getattr(org, who)).get(
        reverse("documents:restriction_letter", args=[decided.pk]))
    assert response.status_code == (200 if who in {"manager", "senior", "head"} else 403)


def test_issue_letter_page_issues_in_the_chosen_language(org, client_for, decided):
    client = client_for(org.manager)
    url = reverse("documents:restriction_letter", args=[decided.pk])
    page = client.get(url)
    assert page.context["form"]["language"].value() == "en"  # the customer's preference
    response = client.post(url, {"language": "cy", "why": WHY})
    assert response.status_code == 302
    document = StoredDocument.objects.get()
    assert document.language == "cy"
    assert document.issued_by == org.manager


def test_issue_letter_without_why_shows_the_error_and_keeps_the_choice(org, client_for,
                                                                       decided):
    response = client_for(org.manager).post(
        reverse("documents:restriction_letter", args=[decided.pk]),
        {"language": "cy", "why": ""})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"plain words" in response.content
    assert response.context["form"]["language"].value() == "cy"
    assert not StoredDocument.objects.exists()


def test_issue_letter_with_a_bad_language_is_a_form_error(org, client_for, decided):
    response = client_for(org.manager).post(
        reverse("documents:restriction_letter", args=[decided.pk]),
        {"language": "xx", "why": WHY})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content


def test_customer_page_lists_the_documents_the_user_may_open(org, client_for, letter,
                                                            log_copy):
    url = reverse("contacts:customer_detail", args=[org.customer.pk])
    manager_page = client_for(org.manager).get(url).content.decode()
    assert letter.reference in manager_page
    assert log_copy.reference in manager_page
    assert "Letter: restriction decided" in manager_page
    assert "English" in manager_page
    assert "Morgan Manager" in manager_page
    caseworker_page = client_for(org.caseworker).get(url).content.decode()
    assert log_copy.reference in caseworker_page  # their own log's copy
    assert letter.reference not in caseworker_page


def test_customer_page_queries_do_not_grow_with_documents(org, client_for, letter):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(org.manager)
    url = reverse("contacts:customer_detail", args=[org.customer.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        contact = TerminatedContactFactory(customer=org.customer, staff=org.caseworker)
        services.calllog_copy_store(log=SubmittedLogFactory(contact=contact,
                                                            author=org.caseworker),
                                    actor=org.caseworker)
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    # Each log's author is read once per row by the line-manager rule (log.author): allow
    # that, but nothing per row beyond it.
    assert len(four) <= len(one) + 3, [q["sql"] for q in four.captured_queries]


def test_log_page_lists_its_copy_and_offers_one(org, client_for):
    contact = TerminatedContactFactory(customer=org.customer, staff=org.caseworker)
    log = SubmittedLogFactory(contact=contact, author=org.caseworker)
    client = client_for(org.caseworker)
    page = client.get(reverse("callogs:log_detail", args=[log.pk])).content.decode()
    assert "Keep a PDF copy for the case file" in page
    response = client.post(reverse("documents:calllog_copy", args=[log.pk]))
    assert response.status_code == 302
    document = StoredDocument.objects.get()
    page = client.get(reverse("callogs:log_detail", args=[log.pk])).content.decode()
    assert document.reference in page
    assert "Keep a PDF copy for the case file" not in page


def test_restriction_page_offers_the_letter_and_lists_it(org, client_for, decided):
    client = client_for(org.manager)
    url = reverse("restrictions:detail", args=[decided.pk])
    assert "Issue the letter: restriction decided (PDF)" in client.get(url).content.decode()
    document = services.restriction_letter_issue(restriction=decided, actor=org.manager,
                                                 why=WHY)
    assert document.reference in client.get(url).content.decode()


def test_report_page_offers_the_telephone_note_and_lists_it(org, client_for):
    case = CaseReference.objects.create(reference="RFA0033445", customer=org.customer)
    report = AtRiskReportFactory(raised_by=org.caseworker, customer=org.customer,
                                 case_reference=case)
    client = client_for(org.caseworker)
    url = reverse("atrisk:report_detail", args=[report.pk])
    assert "Keep the telephone note for the case file" in client.get(url).content.decode()
    response = client.post(reverse("documents:atrisk_note", args=[report.pk]))
    assert response.status_code == 302
    document = StoredDocument.objects.get(kind="atrisk_telephone_note")
    page = client.get(url).content.decode()
    assert document.reference in page
    assert "Keep the telephone note for the case file" not in page
    # The manager of the reporter does not see the report, nor its note on the customer page.
    customer_page = client_for(org.manager).get(
        reverse("contacts:customer_detail", args=[org.customer.pk])).content.decode()
    assert document.reference not in customer_page


@pytest.mark.parametrize("who", ROLES)
def test_keep_log_copy_both_ways(org, client_for, who):
    contact = TerminatedContactFactory(customer=org.customer, staff=org.caseworker)
    log = SubmittedLogFactory(contact=contact, author=org.caseworker)
    response = client_for(getattr(org, who)).post(
        reverse("documents:calllog_copy", args=[log.pk]))
    if who in {"caseworker", "manager"}:
        assert response.status_code == 302
        assert StoredDocument.objects.filter(kind="terminated_call_log").count() == 1
    else:
        assert response.status_code == 403
        assert not StoredDocument.objects.exists()

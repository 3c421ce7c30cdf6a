"""A Head of Department decides, issues the letter as a PDF, downloads it; the customer page
lists it (12, issue 22). The terminated-call log's case-file copy opens from the customer
page too (8.1). Every page passes axe."""

import io

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.constants import Role
from documents.models import StoredDocument, documents_storage
from restrictions import services as rs
from restrictions.constants import Term
from tests.accounts.factories import DepartmentFactory
from tests.callogs.factories import SubmittedLogFactory, TerminatedContactFactory
from tests.restrictions.factories import CustomerFactory

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("role_groups")]  # tests/browser/conftest.py


def _text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def test_hod_decides_issues_the_letter_and_downloads_it(
        page, live_server, sign_in, axe_check, make_user, tmp_path):
    dept = DepartmentFactory(name="Customer Contact")
    head = make_user(Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER, department=dept,
                     username="hodd", first_name="Rhiannon", last_name="Pritchard",
                     job_title="")
    dept.head = head
    dept.save()
    manager = make_user(Role.LINE_MANAGER, department=dept, line_manager=head,
                        username="managerd")
    caseworker = make_user(Role.CASEWORKER, department=dept, line_manager=manager,
                           username="cased")
    customer = CustomerFactory(given_name="Alex", family_name="Morgan",
                               address="1 High Street\nAnytown")
    restriction = rs.restriction_create(
        requested_by=manager, customer=customer, kind="restriction", submit=True,
        proposal=rs.Proposal(start_date=timezone.localdate(), terms=[Term.WRITTEN_ONLY],
                             grounds="Shouted at staff on three calls."))
    contact = TerminatedContactFactory(customer=customer, staff=caseworker)
    log = SubmittedLogFactory(contact=contact, author=caseworker)

    sign_in(page, head)
    page.goto(f"{live_server.url}/restrictions/{restriction.pk}/decide/")
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()

    page.get_by_role("link", name="Issue the letter: restriction decided (PDF)").click()
    axe_check(page)
    page.get_by_role("button", name="Issue the letter").click()  # no "why": an error first
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    page.get_by_label("Welsh", exact=True).check()
    page.get_by_label("Why, in plain words").fill("You shouted at our staff on three calls.")
    page.get_by_role("button", name="Issue the letter").click()
    expect(page.get_by_text("issued and kept")).to_be_visible()
    axe_check(page)

    document = StoredDocument.objects.get()
    assert document.language == "cy"
    restriction.refresh_from_db()
    assert restriction.letter_sent_on == timezone.localdate()
    with page.expect_download() as info:
        page.get_by_role("link", name=f"{document.reference}").first.click()
    path = tmp_path / "letter.pdf"
    info.value.save_as(path)
    downloaded = path.read_bytes()
    assert downloaded == documents_storage().open(document.file.name).read()
    text = _text(downloaded)
    assert "Rydym wedi penderfynu cyfyngu ar sut rydym yn delio â chi." in text
    assert "Rhiannon Pritchard, Pennaeth Adran" in text

    # The customer page lists it with its date, kind, language and issuer.
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    table = page.locator("table.app-documents")
    expect(table).to_contain_text("Letter: restriction decided")
    expect(table).to_contain_text("Welsh")
    expect(table).to_contain_text("Rhiannon Pritchard")
    axe_check(page)

    # The caseworker keeps the log's case-file copy and opens it from the customer page.
    context = page.context.browser.new_context()
    cw_page = context.new_page()
    sign_in(cw_page, caseworker)
    cw_page.goto(f"{live_server.url}/call-logs/{log.pk}/")
    cw_page.get_by_role("button", name="Keep a PDF copy for the case file").click()
    expect(cw_page.locator(".govuk-notification-banner")).to_contain_text("Case-file copy")
    axe_check(cw_page)
    cw_page.goto(f"{live_server.url}/customers/{customer.pk}/")
    copy = StoredDocument.objects.get(kind="terminated_call_log")
    expect(cw_page.locator("table.app-documents")).not_to_contain_text(document.reference)
    with cw_page.expect_download() as info:
        cw_page.get_by_role("link", name=copy.reference).click()
    info.value.save_as(tmp_path / "log.pdf")
    assert "Record of a terminated call" in _text((tmp_path / "log.pdf").read_bytes())
    axe_check(cw_page)
    context.close()

"""Data-protection pages in a real browser: no axe violations; a legal hold by keyboard alone."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.constants import Role
from privacy.models import LegalHold, SubjectAccessRequest
from tests.atrisk.factories import AtRiskReportFactory
from tests.contacts.factories import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_legal_hold_is_placed_by_keyboard_alone_and_the_page_passes_axe(
        page, live_server, sign_in, axe_check, make_user):
    officer = make_user(Role.COMPLIANCE)
    customer = CustomerFactory()
    sign_in(page, officer)
    page.goto(f"{live_server.url}/privacy/customers/{customer.pk}/legal-hold/")
    page.get_by_role("heading", name=customer.reference).wait_for()
    axe_check(page)

    # an empty reason: the error summary, then fill it in with the keyboard only
    page.get_by_label("Why must these records be kept?").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Enter why the records must be kept")).to_be_visible()
    axe_check(page)
    page.get_by_label("Why must these records be kept?").focus()
    page.keyboard.type("Claim CL-12 in the county court")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("A legal hold is in force")).to_be_visible()
    axe_check(page)
    assert LegalHold.objects.get(customer=customer).reason == "Claim CL-12 in the county court"


def test_the_request_page_with_the_withhold_form_passes_axe(page, live_server, sign_in,
                                                             axe_check, make_user):
    officer = make_user(Role.COMPLIANCE)
    customer = CustomerFactory()
    AtRiskReportFactory(raised_by=make_user(Role.CASEWORKER), customer=customer)
    sar = SubjectAccessRequest.objects.create(customer=customer,
                                              received_on=timezone.localdate(),
                                              recorded_by=officer)
    sign_in(page, officer)
    page.goto(f"{live_server.url}/privacy/subject-access/{sar.pk}/")
    page.get_by_text("Withhold part of the bundle under an exemption").click()
    page.get_by_label("Which records?").wait_for()
    axe_check(page)

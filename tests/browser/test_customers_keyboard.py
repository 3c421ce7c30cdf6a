"""Issue 16 by keyboard alone, axe-clean on every page on the way: changing a customer's
details (an error first, nothing typed lost), linking an unknown caller's contact to a
customer, merging two records with the 12.3 acknowledgement, and reporting a communication
need (6.1, 12.2). The first call from an unknown person (lookup, add, duplicate warning,
log a contact) is walked in ``test_customers.py``."""

import re

import pytest
from playwright.sync_api import expect

from accounts.constants import Role
from contacts.models import CommunicationNeedReport, CustomerMerge
from tests.accounts.factories import DepartmentFactory
from tests.contacts.factories import ContactFactory, CustomerFactory, CustomerPhoneFactory
from tests.restrictions.factories import AdjustmentFactory, ApprovedRestrictionFactory

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("role_groups")]  # tests/browser/conftest.py


def _tab_to(page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"could not reach {selector} by keyboard")


def _select_all_and_type(page, text: str) -> None:
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_change_a_customers_details_by_keyboard(page, live_server, sign_in, axe_check,
                                                 make_user):
    customer = CustomerFactory(given_name="Bryn", family_name="Evans")
    CustomerPhoneFactory(customer=customer, number="07700 900222")
    caseworker = make_user(Role.CASEWORKER, line_manager=make_user(Role.LINE_MANAGER))
    sign_in(page, caseworker)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    _tab_to(page, "a[href$='/edit/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/edit/"))
    axe_check(page)

    # A number that is not one: the error summary, and nothing typed is lost.
    _tab_to(page, "#id_preferred_name")
    page.keyboard.type("Bryn the Post")
    _tab_to(page, "#id_phones")
    _select_all_and_type(page, "12")
    _tab_to(page, "main [type='submit']")
    page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Phone number 1 (12)")
    assert page.get_by_label("Name they prefer to be called (optional)").input_value() == (
        "Bryn the Post")
    axe_check(page)

    _tab_to(page, "#id_phones")
    _select_all_and_type(page, "+44 7700 900333")
    _tab_to(page, "main [type='submit']")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Customer details saved")).to_be_visible()
    axe_check(page)
    customer.refresh_from_db()
    assert customer.preferred_name == "Bryn the Post"
    assert list(customer.phones.values_list("number_normalised", flat=True)) == [
        "+447700900333"]


def test_link_an_unknown_callers_contact_to_a_customer_by_keyboard(page, live_server,
                                                                   sign_in, axe_check,
                                                                   make_user):
    caseworker = make_user(Role.CASEWORKER, line_manager=make_user(Role.LINE_MANAGER))
    customer = CustomerFactory(given_name="Pat", family_name="Quinlan")
    contact = ContactFactory(customer=None, caller_name="Pat Quinlan", staff=caseworker)
    sign_in(page, caseworker)
    page.goto(f"{live_server.url}/customers/contacts/{contact.pk}/")
    _tab_to(page, "a[href*='/link-customer/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Who was the caller?")).to_be_visible()
    expect(page.get_by_role("link", name="Pat Quinlan")).to_be_visible()  # the name given
    axe_check(page)
    _tab_to(page, "main form.app-inline-form [type='submit']")  # Link to this customer
    page.keyboard.press("Enter")
    expect(page.get_by_text("Contact linked to")).to_be_visible()
    axe_check(page)
    contact.refresh_from_db()
    assert contact.customer == customer


def test_merge_two_records_acknowledging_the_conflict_by_keyboard(page, live_server, sign_in,
                                                                  axe_check, make_user):
    department = DepartmentFactory()
    manager = make_user(Role.LINE_MANAGER, department=department)
    head = make_user(Role.HEAD_OF_DEPARTMENT, department=department)
    keep = CustomerFactory(given_name="Megan", family_name="Price")
    duplicate = CustomerFactory(given_name="Meg", family_name="Price")
    ApprovedRestrictionFactory(customer=keep, requested_by=manager, decided_by=head)
    AdjustmentFactory(customer=duplicate, requested_by=manager, decided_by=head)
    sign_in(page, manager)
    page.goto(f"{live_server.url}/customers/{keep.pk}/")
    _tab_to(page, "a[href$='/merge/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Merge customer records")).to_be_visible()
    axe_check(page)
    _tab_to(page, "#id_other")
    page.keyboard.type(duplicate.reference)
    page.keyboard.press("Enter")
    expect(page.get_by_text("The two records side by side")).to_be_visible()
    expect(page.get_by_text("12.3: merging puts together records")).to_be_visible()
    axe_check(page)

    # Keep this record, but merge without acknowledging: refused, with the error summary.
    _tab_to(page, f"#keep-{keep.pk}")
    page.keyboard.press("Space")
    _tab_to(page, "main form[method='post'] [type='submit']")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert not CustomerMerge.objects.exists()
    axe_check(page)

    _tab_to(page, "#acknowledge")
    page.keyboard.press("Space")
    if not page.locator(f"#keep-{keep.pk}").is_checked():
        _tab_to(page, f"#keep-{keep.pk}")
        page.keyboard.press("Space")
    _tab_to(page, "main form[method='post'] [type='submit']")
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"{duplicate.reference} was merged into this record")).to_be_visible()
    axe_check(page)
    merge = CustomerMerge.objects.get()
    assert (merge.survivor, merge.merged) == (keep, duplicate)
    assert merge.conflicts_acknowledged  # the 12.3 conflict, as shown


def test_report_a_communication_need_by_keyboard(page, live_server, sign_in, axe_check,
                                                  make_user):
    manager = make_user(Role.LINE_MANAGER)
    caseworker = make_user(Role.CASEWORKER, line_manager=manager)
    customer = CustomerFactory()
    sign_in(page, caseworker)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    _tab_to(page, "a[href$='/needs/new/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Report a communication need")).to_be_visible()
    axe_check(page)

    _tab_to(page, "main [type='submit']")  # nothing described yet: the error summary
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Describe what the customer appears to need")
    axe_check(page)
    _tab_to(page, "#id_need")
    page.keyboard.type("Speaks loudly; seems hard of hearing")
    _tab_to(page, "#id_suggestion")
    page.keyboard.type("Offer email")
    _tab_to(page, "main [type='submit']")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Sent to your line manager to consider (12.2)")).to_be_visible()
    axe_check(page)
    report = CommunicationNeedReport.objects.get()
    assert (report.customer, report.manager, report.raised_by) == (customer, manager, caseworker)

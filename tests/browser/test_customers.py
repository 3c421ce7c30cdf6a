"""Issue 16 by keyboard alone: a lookup that finds nobody -> Add a new customer (the number
carried into the form) -> a likely duplicate shown -> saved anyway -> log a contact with
the new customer. axe finds no violations on any page on the way."""

import re

import pytest
from playwright.sync_api import expect

from accounts.constants import Role
from contacts.models import Contact, Customer
from tests.contacts.factories import CustomerFactory, CustomerPhoneFactory

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("role_groups")]  # tests/browser/conftest.py


def _tab_to(page, selector: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"could not reach {selector} by keyboard")


def test_first_call_from_an_unknown_person_by_keyboard(page, live_server, sign_in, axe_check,
                                                        make_user):
    existing = CustomerFactory(given_name="Ann", family_name="Quirk")
    CustomerPhoneFactory(customer=existing, number="07700 900111")
    caseworker = make_user(Role.CASEWORKER, line_manager=make_user(Role.LINE_MANAGER))
    sign_in(page, caseworker)

    # Nobody has this number: the results offer to add a new customer.
    page.goto(f"{live_server.url}/customers/")
    _tab_to(page, "#id_q")
    page.keyboard.type("07700 900555")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=07700"))
    expect(page.get_by_role("heading", name="No customers found")).to_be_visible()
    axe_check(page)
    _tab_to(page, "a[href*='/customers/new/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/customers/new/"))
    expect(page.get_by_role("heading", level=1, name="Add a new customer")).to_be_visible()
    assert page.get_by_label("Phone numbers (optional)").input_value() == "07700 900555"
    axe_check(page)

    # The name of someone we already have: the duplicate is shown before anything is saved.
    _tab_to(page, "#id_given_name")
    page.keyboard.type("Anne")
    page.keyboard.press("Tab")
    page.keyboard.type("Quirke")
    _tab_to(page, "#id_postcode")
    page.keyboard.type("ll57 2pw")
    _tab_to(page, "main [type='submit']")
    page.keyboard.press("Enter")
    expect(page.get_by_text("This may be someone we already have a record for")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Use this customer instead"))).to_be_visible()
    assert Customer.objects.count() == 1
    assert page.get_by_label("Last name").input_value() == "Quirke"  # nothing typed is lost
    axe_check(page)

    # They are someone else: save anyway, then log the call from their page.
    _tab_to(page, "main [type='submit']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Anne Quirke")).to_be_visible()
    customer = Customer.objects.get(family_name="Quirke")
    assert customer.postcode == "LL57 2PW"
    assert customer.phones.get().number_normalised == "+447700900555"
    axe_check(page)
    _tab_to(page, "a[href$='/contacts/new/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/contacts/new/"))
    _tab_to(page, "input[name='channel']")
    page.keyboard.press("Space")  # the first channel: Telephone
    _tab_to(page, "main [type='submit']")
    page.keyboard.press("Enter")
    expect(page.get_by_text("(in progress)")).to_be_visible()
    axe_check(page)
    contact = Contact.objects.get()
    assert (contact.customer, contact.channel, contact.staff) == (customer, "phone", caseworker)

"""Issue 16: the merge, import upload, link-unknown-caller, communication-need report and
history pages each load for someone who may use them and axe finds no violations."""

import pytest
from django.urls import reverse

from accounts.constants import Role
from tests.contacts.factories import ContactFactory, CustomerFactory

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("role_groups")]  # tests/browser/conftest.py


def _check(page, live_server, sign_in, axe_check, user, url: str) -> None:
    sign_in(page, user)
    response = page.goto(f"{live_server.url}{url}")
    assert response.status == 200, url
    assert page.locator("h1").count() == 1
    axe_check(page)


def test_merge_page(page, live_server, sign_in, axe_check, make_user):
    manager = make_user(Role.LINE_MANAGER)
    customer = CustomerFactory()
    _check(page, live_server, sign_in, axe_check, manager,
           reverse("contacts:customer_merge", args=[customer.pk]))


def test_import_upload_page(page, live_server, sign_in, axe_check, make_user):
    _check(page, live_server, sign_in, axe_check, make_user(Role.ADMINISTRATOR),
           reverse("contacts:customer_import"))


def test_link_unknown_caller_page(page, live_server, sign_in, axe_check, make_user):
    caseworker = make_user(Role.CASEWORKER, line_manager=make_user(Role.LINE_MANAGER))
    contact = ContactFactory(customer=None, caller_name="Pat", staff=caseworker)
    _check(page, live_server, sign_in, axe_check, caseworker,
           reverse("contacts:contact_link_customer", args=[contact.pk]))


def test_communication_need_report_page(page, live_server, sign_in, axe_check, make_user):
    caseworker = make_user(Role.CASEWORKER, line_manager=make_user(Role.LINE_MANAGER))
    _check(page, live_server, sign_in, axe_check, caseworker,
           reverse("contacts:need_report", args=[CustomerFactory().pk]))


def test_history_page(page, live_server, sign_in, axe_check, make_user):
    caseworker = make_user(Role.CASEWORKER, line_manager=make_user(Role.LINE_MANAGER))
    customer = CustomerFactory()
    ContactFactory(customer=customer, staff=caseworker)
    _check(page, live_server, sign_in, axe_check, caseworker,
           reverse("contacts:customer_history", args=[customer.pk]))

"""Issue 17 in a real browser: the name given on a call (10.1), correcting a contact, moving a
classification down and returning a terminated-call log each show the GOV.UK error summary
with what was typed kept, are reachable by keyboard, and pass axe."""

import pytest
from playwright.sync_api import expect

from accounts.constants import Role
from callogs import services as log_services
from tests.accounts.factories import DepartmentFactory
from tests.callogs.factories import DraftLogFactory
from tests.contacts.factories import ContactFactory

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("role_groups")]  # tests/browser/conftest.py


def test_name_given_and_correction_pages(page, live_server, sign_in, axe_check, make_user):
    dept = DepartmentFactory(name="Customer Contact")
    manager = make_user(Role.LINE_MANAGER, department=dept)
    caseworker = make_user(Role.CASEWORKER, line_manager=manager, department=dept,
                           first_name="Casey", last_name="Walsh")
    contact = ContactFactory(staff=caseworker, behaviour="abusive")
    base = f"{live_server.url}/customers/contacts/{contact.pk}"

    sign_in(page, caseworker)
    page.goto(f"{base}/")
    page.get_by_role("link", name="Record the name you gave (10.1)").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Department you gave")).to_have_value("Customer Contact")
    axe_check(page)
    page.get_by_label("Only my first name and department").check()
    page.get_by_label("Department you gave").fill("Enquiries")
    page.get_by_role("button", name="Record the name I gave").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why you gave only")
    expect(page.get_by_label("Department you gave")).to_have_value("Enquiries")
    axe_check(page)

    page.goto(f"{base}/correct/")
    page.get_by_label("Why are you correcting it?").fill("")
    page.get_by_label("Summary").fill("Asked about a refund")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_label("Summary")).to_have_value("Asked about a refund")
    axe_check(page)

    page.context.clear_cookies()
    sign_in(page, manager)
    page.goto(f"{base}/reclassify/")
    page.get_by_role("button", name="Move the classification down").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)


def test_returning_a_log(page, live_server, sign_in, axe_check, make_user):
    manager = make_user(Role.LINE_MANAGER)
    caseworker = make_user(Role.CASEWORKER, line_manager=manager, first_name="Casey",
                           last_name="Walsh")
    log = log_services.calllog_submit(
        log=DraftLogFactory(author=caseworker, contact__staff=caseworker), actor=caseworker)
    sign_in(page, manager)
    page.goto(f"{live_server.url}/call-logs/{log.pk}/review/")
    page.get_by_role("link", name="return the log to Casey Walsh to amend").click()
    axe_check(page)
    page.get_by_role("button", name="Return the log to its author").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what the author")
    axe_check(page)
    page.get_by_label("What should the author amend?").fill("Add the time he first swore")
    page.get_by_role("button", name="Return the log to its author").click()
    # The return is saved before the manager signs out (a navigation still in flight raced
    # the caseworker's sign-in).
    page.wait_for_url(f"{live_server.url}/call-logs/reviews/")
    page.context.clear_cookies()
    sign_in(page, caseworker)
    page.goto(f"{live_server.url}/call-logs/{log.pk}/")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Add the time he first swore")
    axe_check(page)

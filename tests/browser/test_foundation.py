"""Sign-in and each role's home page pass axe; sign-in works by keyboard alone."""

import pytest
from playwright.sync_api import expect

from accounts.constants import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_page_has_no_axe_violations(page, live_server, axe_check):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    assert page.title() == "Sign in - Customer contact"
    axe_check(page)


def test_sign_in_error_summary_has_no_axe_violations(page, live_server, axe_check, make_user):
    make_user(Role.CASEWORKER, username="casey")
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    # GOV.UK Frontend moves focus to the error summary so screen readers announce it.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert page.get_by_label("Username").input_value() == "casey"
    axe_check(page)


@pytest.mark.parametrize("role", Role.values)
def test_home_page_of_each_role_has_no_axe_violations(page, sign_in, axe_check, make_user, role):
    user = make_user(role)
    sign_in(page, user)
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()
    axe_check(page)


def test_sign_in_by_keyboard_alone(page, live_server, make_user):
    make_user(Role.CASEWORKER, username="keyboard", first_name="Kim", last_name="Lee")
    page.goto(f"{live_server.url}/accounts/sign-in/")
    # Tab from the top of the page until the username field has focus.
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "username":
            break
    assert page.evaluate("document.activeElement.name") == "username"
    page.keyboard.type("keyboard")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type("correct-horse-battery")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_text("Signed in as Kim Lee").first).to_be_visible()
def test_skip_link_is_first_and_moves_focus_to_main(page, sign_in, make_user):
    sign_in(page, make_user(Role.CASEWORKER))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"

"""Your notifications in a real browser: no axe violations; mark as read by keyboard alone."""

import pytest
from playwright.sync_api import expect

from accounts.constants import Role
from tests.notifications.factories import DueItemFactory, InboxEntryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_inbox_and_reminders_have_no_axe_violations(page, live_server, sign_in, axe_check,
                                                     make_user):
    user = make_user(Role.CASEWORKER)
    InboxEntryFactory(recipient=user, text="Call back Ms Jones by 3pm", link="/")
    InboxEntryFactory(recipient=user, text="Overdue for Casey Walsh: call back",
                      escalation=True)
    DueItemFactory(recipient=user, message="Review the restriction (12.2)")
    sign_in(page, user)

    page.get_by_role("link", name="Notifications (2 unread)").click()
    page.get_by_role("heading", name="Your notifications").wait_for()
    axe_check(page)

    page.get_by_role("link", name="See your reminders and when they are due").click()
    page.get_by_role("heading", name="Your reminders").wait_for()
    expect(page.get_by_text("Review the restriction (12.2)")).to_be_visible()
    axe_check(page)


def test_mark_as_read_by_keyboard_alone(page, live_server, sign_in, make_user):
    user = make_user(Role.CASEWORKER)
    InboxEntryFactory(recipient=user, text="Call back Ms Jones by 3pm")
    sign_in(page, user)
    page.goto(f"{live_server.url}/notifications/")

    button = "Mark as read: Call back Ms Jones by 3pm"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == button:
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == button
    page.keyboard.press("Enter")

    page.get_by_role("link", name="Notifications (0 unread)").wait_for()
    expect(page.get_by_text("Read", exact=True)).to_be_visible()
    assert page.get_by_role("button", name=button).count() == 0

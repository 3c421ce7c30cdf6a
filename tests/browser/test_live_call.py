"""Issue 24: an offensive call handled in live-call mode by keyboard alone, from the
classification to the submitted terminated-call log, axe-clean at 320 px and 1,280 px.

The keyboard path (the one docs/TASKS.md counts): on the live screen press C (focus on the
first class), ArrowDown once (Offensive or insulting), Tab, Enter (Save classification);
focus moves to "Next step: Explained..." (7.4.1): Tab, Tab, Enter (Record this step); focus
on the 7.4.3 warning: Tab, Space (Yes: unhappy), Tab, Tab, Enter; focus on the complaint
step (7.4.3): Tab, Tab, Enter; press E (ending step, 7.4.4/7.4.5): Tab, Space (Yes, I
explained), Tab, Tab, Enter (End the call and complete the log); the log opens prefilled:
Tab to "Save and give to my line manager", Enter.
"""

import importlib
import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.constants import Role
from callogs.constants import LogStatus
from callogs.models import TerminatedCallLog
from contacts.models import Contact
from tests.contacts.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (320, 1280)


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """A transactional test's flush empties what the migrations made: the role groups and the
    suggested words. Put them back as the migrations wrote them."""
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    seed = importlib.import_module("contacts.migrations.0024_seed_suggested_words")
    from django.apps import apps
    seed.seed(apps, None)


def _focused(page) -> str:
    return page.evaluate("document.activeElement.id")


def _press(page, *keys: str) -> None:
    for key in keys:
        page.keyboard.press(key)


def _tab_to(page, text: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(document.activeElement.innerText || document.activeElement.value || '').trim()")
        if text in focused:
            return
    raise AssertionError(f"could not reach {text!r} by keyboard")


def _wait_focus(page, element_id: str) -> None:
    """After an htmx swap, focus lands on ``element_id`` (the CSP forbids eval'd waits)."""
    expect(page.locator(f"#{element_id}")).to_be_focused(timeout=10_000)


@pytest.mark.parametrize("width", WIDTHS)
def test_an_offensive_call_by_keyboard_in_live_mode(page, live_server, sign_in, axe_check,
                                                    make_user, width):
    page.set_viewport_size({"width": width, "height": 900})
    manager = make_user(Role.LINE_MANAGER)
    caseworker = make_user(Role.CASEWORKER, line_manager=manager)
    contact = ContactFactory(staff=caseworker, customer=CustomerFactory(
        given_name="Amelia", family_name="Smith"))
    sign_in(page, caseworker)
    loads: list[str] = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and loads.append(frame.url))

    page.goto(f"{live_server.url}/customers/contacts/{contact.pk}/live/")
    expect(page.get_by_role("heading", level=1, name="Amelia Smith")).to_be_visible()
    expect(page.locator("#live-shortcuts-hint")).to_be_visible()  # shown with JavaScript
    expect(page.locator("#live-elapsed")).to_have_text(re.compile(r"\d+ min \d\d s ago"))
    axe_check(page)

    # Classify: C, arrows, Tab to the button, Enter (htmx: no page load).
    _press(page, "c")
    assert _focused(page) == "id_behaviour_1"
    assert page.get_attribute("#id_behaviour_1", "aria-keyshortcuts") == "C"
    _press(page, "ArrowDown", "Tab")  # Difficult, then Offensive (7.2: no Persistent)
    assert _focused(page) == "live-classify-submit"
    _press(page, "Enter")
    heading = "live-step-explained_unacceptable-heading"
    _wait_focus(page, heading)
    expect(page.locator("#live-classification")).to_contain_text("Offensive or insulting")
    expect(page.locator("#live-words-explained_unacceptable")).to_contain_text("(7.4.1)")
    expect(page.locator("#live-status")).to_contain_text("Behaviour recorded as Offensive")
    assert "N" in page.get_attribute(f"#{heading}", "aria-keyshortcuts")
    axe_check(page)

    # 7.4.1: a note typed with letters that are shortcuts elsewhere stays a note.
    _press(page, "Tab")
    assert _focused(page) == "id_explained_unacceptable-note"
    page.keyboard.type("Caller swore at me, repeatedly; I named the words")
    assert _focused(page) == "id_explained_unacceptable-note"
    _press(page, "Tab", "Enter")
    _wait_focus(page, "live-step-warned_will_end-heading")

    # 7.4.3 sent without saying whether they are unhappy: the error summary takes focus.
    _press(page, "Tab", "Tab", "Tab")
    assert _focused(page) == "live-warned_will_end-submit"
    _press(page, "Enter")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-error-summary")).to_contain_text("not happy with this approach")
    axe_check(page)
    _press(page, "n")  # back to the step
    assert _focused(page) == "live-step-warned_will_end-heading"
    _press(page, "Tab", "Space")  # Yes: the customer is unhappy
    assert page.is_checked("#id_warned_will_end-customer_unhappy_1")
    _press(page, "Tab", "Tab", "Enter")
    _wait_focus(page, "live-step-told_complaint-heading")
    expect(page.locator("#live-words-told_complaint")).to_contain_text("service complaint")

    _press(page, "Tab", "Tab", "Enter")
    ending = "live-step-ended_offensive-heading"
    _wait_focus(page, ending)
    _press(page, "c", "e")  # away to the classification and back with E
    assert _focused(page) == ending
    assert set(page.get_attribute(f"#{ending}", "aria-keyshortcuts").split()) == {"N", "E"}
    expect(page.locator("#live-words-ended_offensive")).to_contain_text("(7.4.4, 7.4.5)")
    axe_check(page)
    _press(page, "Tab", "Space", "Tab", "Tab")
    assert _focused(page) == "live-ended_offensive-submit"
    with page.expect_navigation():
        _press(page, "Enter")

    # Straight to the prefilled log (8.1): save it and give it to the line manager, at once.
    log = TerminatedCallLog.objects.get(contact=contact)
    page.wait_for_url(re.compile(rf"/call-logs/{log.pk}/edit/$"))
    assert "Ended the contact politely" in page.get_by_label(
        "Reason for terminating the call").input_value()
    axe_check(page)
    _tab_to(page, "Save and give to my line manager")
    with page.expect_navigation():
        _press(page, "Enter")
    page.wait_for_url(re.compile(rf"/call-logs/{log.pk}/$"))
    expect(page.get_by_text("The log has been given to your line manager")).to_be_visible()
    axe_check(page)

    log.refresh_from_db()
    assert log.status == LogStatus.SUBMITTED
    assert list(Contact.objects.get().steps.values_list("step", flat=True)) == [
        "explained_unacceptable", "warned_will_end", "told_complaint", "ended_offensive"]
    # Page loads from the live screen to the submitted log: the live screen, the log form,
    # the submitted log (the steps themselves load no page; saving and giving is one).
    assert len(loads) == 3, loads


def test_without_javascript_the_same_steps_are_recorded(browser, live_server, sign_in,
                                                        make_user):
    """The fallback: plain form posts, each answered by the live screen again. (No axe here:
    axe runs as JavaScript in the page; the same markup is checked with JavaScript on.)"""
    caseworker = make_user(Role.CASEWORKER, line_manager=make_user(Role.LINE_MANAGER))
    contact = ContactFactory(staff=caseworker)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, caseworker)
        live = f"{live_server.url}/customers/contacts/{contact.pk}/live/"
        page.goto(live)
        expect(page.locator("#live-shortcuts-hint")).to_be_hidden()  # no keys without JS
        page.get_by_label("Offensive or insulting").check()
        page.locator("#live-classify-submit").click()
        page.wait_for_url(live)
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "Offensive or insulting")
        page.locator("#live-explained_unacceptable-submit").click()
        page.wait_for_url(live)
        page.locator("#live-warned_will_end-submit").click()  # not saying: refused, kept
        expect(page.locator(".govuk-error-summary")).to_contain_text("not happy")
        page.get_by_label("No", exact=True).check()
        page.locator("#live-warned_will_end-submit").click()
        page.wait_for_url(live)
        page.get_by_label("Yes, I explained").check()
        page.locator("#live-ended_offensive-submit").click()
        page.wait_for_url(re.compile(r"/call-logs/\d+/edit/$"))
    finally:
        context.close()
    assert list(Contact.objects.get().steps.values_list("step", flat=True)) == [
        "explained_unacceptable", "warned_will_end", "ended_offensive"]
    assert TerminatedCallLog.objects.get(contact=contact).status == LogStatus.DRAFT

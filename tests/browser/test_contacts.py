"""A caseworker finds a customer, starts a call, moves it to offensive, follows 7.4 in order and
ends it; axe finds no violations on any page on the way; the search works by keyboard."""

import re

import pytest
from playwright.sync_api import expect

from accounts.constants import Role
from contacts import services
from contacts.constants import Behaviour
from contacts.models import Contact
from tests.contacts.factories import (
    CaseReferenceFactory,
    ContactFactory,
    CustomerFactory,
    CustomerPhoneFactory,
    EmailContactFactory,
    EndedContactFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("role_groups")]


@pytest.fixture
def customer(db):
    customer = CustomerFactory(given_name="Amelia", family_name="Smith",
                               communication_needs="Hard of hearing")
    CustomerPhoneFactory(customer=customer, number="07700 900123")
    CaseReferenceFactory(customer=customer, reference="RFA0123456")
    return customer


def _tab_to(page, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"could not reach {selector} by keyboard")


def test_offensive_call_from_lookup_to_ended(page, live_server, sign_in, axe_check, make_user,
                                             customer):
    manager = make_user(Role.LINE_MANAGER)
    caseworker = make_user(Role.CASEWORKER, line_manager=manager)
    sign_in(page, caseworker)

    # Find the customer by keyboard: tab to the search box, type the last digits, Enter.
    page.goto(f"{live_server.url}/customers/")
    axe_check(page)
    _tab_to(page, "#id_q")
    page.keyboard.type("900123")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Amelia Smith")).to_be_visible()
    assert "900123" not in page.url  # issue 19, 9: search terms stay out of history
    axe_check(page)
    page.get_by_role("link", name="Amelia Smith").click()
    expect(page.get_by_role("heading", level=1, name="Amelia Smith")).to_be_visible()
    axe_check(page)

    # Start a call; first with a bad case reference (error summary keeps the input).
    page.get_by_role("link", name="Log a contact").click()
    page.get_by_label("Telephone").check()
    page.get_by_label("Case reference (optional)").fill("ENQ9999999")
    page.get_by_label("Summary (optional)").fill("Chasing the case")
    page.get_by_role("button", name="Start contact").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is no case")
    assert page.get_by_label("Summary (optional)").input_value() == "Chasing the case"
    axe_check(page)
    page.get_by_label("Case reference (optional)").fill("RFA0123456")
    page.get_by_role("button", name="Start contact").click()
    # Issue 24: a call opens in live-call mode; this test takes the full screen's pages.
    page.wait_for_url(re.compile(r"/contacts/\d+/live/$"))
    axe_check(page)
    page.locator("#live-full-screen-link").click()
    expect(page.get_by_text("(in progress)")).to_be_visible()
    axe_check(page)

    # Classify as offensive; the 6.1 prompt must be confirmed.
    page.get_by_role("link", name="Classify behaviour").click()
    page.get_by_label("Offensive or insulting").check()
    page.get_by_role("button", name="Save classification").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm you have considered")
    axe_check(page)
    page.get_by_label("Offensive or insulting").check()
    page.get_by_label("I have considered whether").check()
    page.get_by_role("button", name="Save classification").click()
    expect(page.locator(".govuk-tag", has_text="Offensive or insulting")).to_be_visible()
    axe_check(page)

    # 7.4 in order: the screen offers only the next step.
    for label in ("Explained precisely", "Warned that the contact will end",
                  "Told them how to make a service complaint"):
        page.get_by_role("link", name=re.compile(f"Next step: {label}")).click()
        if label.startswith("Warned"):  # 7.4.3: the complaint route only if they are unhappy
            page.get_by_role("button", name="Record this step").click()
            expect(page.locator(".govuk-error-summary")).to_contain_text("not happy")
            page.get_by_label("Yes: I will explain how to make a service complaint").check()
        axe_check(page)
        page.get_by_role("button", name="Record this step").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(label)
    page.get_by_role("link", name=re.compile("Next step: Ended the contact politely")).click()
    page.get_by_role("button", name="End the contact").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say whether you could explain")
    axe_check(page)
    page.get_by_label("No, the caller talked over me").check()
    page.get_by_role("button", name="End the contact").click()
    expect(page.get_by_text("(ended)")).to_be_visible()
    axe_check(page)

    contact = Contact.objects.get()
    assert contact.terminated
    assert contact.ended_at is not None
    assert list(contact.steps.values_list("step", flat=True)) == [
        "explained_unacceptable", "warned_will_end", "told_complaint", "ended_offensive"]


def test_queue_and_unknown_caller_pages_pass_axe(page, live_server, sign_in, axe_check,
                                                 make_user):
    sign_in(page, make_user(Role.CASEWORKER, line_manager=make_user(Role.LINE_MANAGER)))
    page.goto(f"{live_server.url}/customers/queue/")
    axe_check(page)
    page.goto(f"{live_server.url}/customers/contacts/new/")
    page.get_by_role("button", name="Start contact").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name the caller gave")
    axe_check(page)


def test_every_other_contacts_page_passes_axe(page, live_server, sign_in, axe_check, make_user,
                                              customer):
    manager = make_user(Role.LINE_MANAGER)
    caseworker = make_user(Role.CASEWORKER, line_manager=manager)
    case = customer.case_references.get()
    for _ in range(21):  # two pages of history
        EndedContactFactory(staff=caseworker, customer=customer, case_reference=case)
    difficult = ContactFactory(staff=caseworker, customer=customer, case_reference=case)
    services.contact_classify(contact=difficult, actor=caseworker,
                              behaviour=Behaviour.DIFFICULT, equality_considered=True)
    written = EmailContactFactory(staff=caseworker, customer=customer)
    services.contact_classify(contact=written, actor=caseworker, behaviour=Behaviour.ABUSIVE,
                              equality_considered=True)
    review = services.written_review_raise(contact=written, actor=caseworker, comments="Rude")
    flag = services.contact_mark_no_new_information(contact=difficult, actor=caseworker)
    base = f"{live_server.url}/customers"

    sign_in(page, caseworker)
    for path in (f"/{customer.pk}/", f"/{customer.pk}/?page=2", f"/contacts/{difficult.pk}/",
                 f"/contacts/{written.pk}/", f"/contacts/{difficult.pk}/classify/",
                 f"/contacts/{difficult.pk}/callback/", f"/contacts/{difficult.pk}/escalation/",
                 f"/contacts/{difficult.pk}/suggest-persistent/",
                 f"/contacts/{difficult.pk}/name-given/", f"/contacts/{difficult.pk}/end/",
                 f"/contacts/{difficult.pk}/steps/told_will_consult/",
                 f"/contacts/{written.pk}/steps/ended_abusive/", "/queue/", "/?q=zzzz"):
        page.goto(base + path)
        expect(page.locator("h1")).to_be_visible()
        axe_check(page)
    page.goto(f"{base}/contacts/{difficult.pk}/escalation/")
    page.get_by_role("button", name="Record escalation request").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)

    services.persistent_suggest(contact=difficult, actor=caseworker,
                                reason="Asks about the same fee every day.")  # 7.2
    page.context.clear_cookies()
    sign_in(page, manager)
    for path in (f"/flags/{flag.pk}/", f"/reviews/{review.pk}/", "/queue/"):
        page.goto(base + path)
        expect(page.locator("h1")).to_be_visible()
        axe_check(page)
    # 7.2: "consider restricting" opens the restriction request prefilled from the flag
    page.goto(f"{base}/flags/{flag.pk}/")
    page.get_by_label("The contact is persistent: consider restricting it").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_label("Grounds")).to_contain_text("Asks about the same fee every day.")
    axe_check(page)


def test_live_search_shows_results_while_typing(page, live_server, sign_in, make_user,
                                                customer):
    sign_in(page, make_user(Role.CASEWORKER))
    page.goto(f"{live_server.url}/customers/")
    page.get_by_label("Search for a customer").press_sequentially("smi", delay=50)
    expect(page.get_by_role("link", name="Amelia Smith")).to_be_visible()
    assert "smi" not in page.url  # issue 19, 9: not pushed into the browser's history

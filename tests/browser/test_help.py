"""Every help page passes axe."""

import pytest

from accounts.constants import Role
from core.help import TOPICS
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_help_pages_have_no_axe_violations(page, live_server, sign_in, axe_check, make_user):
    sign_in(page, make_user(Role.CASEWORKER))
    page.get_by_role("link", name="Help").first.click()
    axe_check(page)
    for topic in TOPICS:
        page.goto(f"{live_server.url}/help/{topic.slug}/")
        assert page.get_by_role("heading", level=1).inner_text() == topic.title
        axe_check(page)


def test_a_screen_links_to_its_help_by_keyboard(page, live_server, sign_in, axe_check,
                                                 make_user):
    """The offensive-behaviour step links to 7.4.1-7.4.5; the link and the page pass axe."""
    caseworker = make_user(Role.CASEWORKER)
    contact = ContactFactory(staff=caseworker, behaviour="offensive")
    sign_in(page, caseworker)
    page.goto(f"{live_server.url}/customers/contacts/{contact.pk}/steps/warned_will_end/")
    axe_check(page)
    link = page.get_by_role("link", name="Help with this: Offensive or insulting behaviour")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/help/offensive/")
    assert page.get_by_role("heading", level=1).inner_text() == "Offensive or insulting behaviour"
    axe_check(page)

"""A 300-character word with no spaces wraps instead of widening the page (issue 25).

It once made the customer page 1,500 px wide in a 1,200 px window. Checked at the narrowest
(320 px) and a desktop width (1,280 px): the page never scrolls sideways.
"""

import pytest

from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory, CustomerFactory

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("role_groups")]  # tests/browser/conftest.py

WORD = "Unbroken" * 38  # 304 characters, no spaces


@pytest.mark.parametrize("width", [320, 1280])
def test_long_words_wrap_on_the_customer_page(page, live_server, sign_in, width):
    caseworker = UserFactory(username="cw-long", roles=["Caseworker"])
    customer = CustomerFactory(given_name="Amelia", family_name="Smith",
                               communication_needs=WORD)
    ContactFactory(customer=customer, staff=caseworker, summary=WORD)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, caseworker)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    assert page.get_by_text(WORD).first.is_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the {width}px window"

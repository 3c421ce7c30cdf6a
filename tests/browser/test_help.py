"""Every help page passes axe."""

import pytest

from accounts.constants import Role
from core.help import TOPICS

pytestmark = pytest.mark.django_db(transaction=True)


def test_help_pages_have_no_axe_violations(page, live_server, sign_in, axe_check, make_user):
    sign_in(page, make_user(Role.CASEWORKER))
    page.get_by_role("link", name="Help").first.click()
    axe_check(page)
    for topic in TOPICS:
        page.goto(f"{live_server.url}/help/{topic.slug}/")
        assert page.get_by_role("heading", level=1).inner_text() == topic.title
        axe_check(page)

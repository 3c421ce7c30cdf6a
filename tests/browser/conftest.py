"""Playwright drives Debian's Chromium (never a downloaded browser); axe checks each page."""

import os
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

from accounts.security import two_factor_required
from tests.otp import confirmed_device, current_code

CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = "correct-horse-battery"

# Playwright's sync API runs an event loop in the test thread; the live server's ORM calls
# are still synchronous, so Django's async guard must stand down for browser tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _browser_marker(request):
    request.node.add_marker(pytest.mark.browser)


@pytest.fixture
def role_groups(db):
    """A transactional test's flush removes the groups the data migration made: restore them
    (``pytest.mark.usefixtures("role_groups")``)."""
    from django.contrib.auth.models import Group

    from accounts.constants import Role

    for role in Role.values:
        Group.objects.get_or_create(name=role)


@pytest.fixture
def axe_check():
    """Run axe on the page; fail with the rules and targets of any violation."""
    axe = Axe()

    def _check(page) -> None:
        # A click that follows a link returns once the new document has begun to load: axe
        # run then can find no document yet (CI, stop 30). Check the page as it is when loaded;
        # if a navigation still replaces the document while axe runs, check the new one.
        page.wait_for_load_state("load")
        try:
            results = axe.run(page)
        except PlaywrightError as error:
            if "documentElement" not in str(error) and "context was destroyed" not in str(error):
                raise
            page.wait_for_load_state("load")
            results = axe.run(page)
        violations = results.response["violations"]
        detail = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
        ]
        assert not violations, f"axe violations on {page.url}: {detail}"

    return _check


def _enter_code(page, device) -> None:
    """Type the authenticator's current code. A code read in the last moment of its 30-second
    step can be past django-otp's tolerance by the time a loaded machine posts it, as a person's
    can: then, as a person would, wait for the next code and type it once more. A second
    refusal fails with the page's own message."""
    for attempt in range(2):
        if attempt:
            time.sleep(device.step - (time.time() - device.t0) % device.step + 0.5)
        page.get_by_label("Security code").fill(current_code(device))
        with page.expect_navigation():  # the form posts: a redirect home, or the page again
            page.get_by_role("button", name="Continue").click()
        if "/accounts/two-factor/" not in page.url:
            return
    summary = page.locator(".govuk-error-summary")
    message = summary.inner_text() if summary.count() else page.content()[:500]
    raise AssertionError(f"the security code was refused twice: {message}")


@pytest.fixture
def sign_in(live_server):
    """Sign ``user`` in through the real form, with a one-time code where the role needs it."""

    def _sign_in(page, user) -> None:
        device = confirmed_device(user) if two_factor_required(user) else None
        page.goto(f"{live_server.url}/accounts/sign-in/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        if device is not None:
            page.wait_for_url(f"{live_server.url}/accounts/two-factor/")
            _enter_code(page, device)
        page.wait_for_url(f"{live_server.url}/")

    return _sign_in

"""Stored XSS in the browser (issue 8, proof 5): with payloads in every free-text field, the
main pages fire no dialog and report no Content-Security-Policy violation; the audit pages
pass axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.security.test_stored_xss import _poison
from tests.security.world import World

pytestmark = pytest.mark.django_db(transaction=True)

PAYLOAD = ('<script>alert(1)</script>"><img src=x onerror=alert(2)>'
           '<svg onload=alert(3)><b onmouseover=alert(4)>x</b>')

# Runs before any page script (Playwright init scripts are not subject to the page's CSP).
LISTEN = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def test_payloads_fire_no_dialog_and_no_csp_violation(page, live_server, sign_in):
    world = World()
    _poison(world, PAYLOAD[:100])
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(LISTEN)
    sign_in(page, world.caseworker)
    urls = [
        reverse("contacts:customer_detail", args=[world.customer.pk]),
        reverse("contacts:contact_detail", args=[world.contact.pk]),
        reverse("contacts:lookup") + "?q=" + world.customer.reference,
        reverse("callogs:log_detail", args=[world.draft_log.pk]),
        reverse("callogs:log_print", args=[world.draft_log.pk]),
        reverse("notifications:inbox"),
        reverse("atrisk:report_detail", args=[world.report.pk]),
        reverse("restrictions:customer", args=[world.customer.pk]),
    ]
    violations = {}
    for url in urls:
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
        page.mouse.move(10, 10)
        found = page.evaluate("window.__violations")
        if found:
            violations[url] = found
    assert not dialogs, dialogs
    assert not violations, violations


def test_audit_pages_pass_axe(page, live_server, sign_in, axe_check):
    world = World()
    sign_in(page, world.compliance)
    page.goto(live_server.url + reverse("audit:search") + "?action=nonsense")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    page.goto(live_server.url + reverse("audit:customer_history", args=[world.customer.pk]))
    expect(page.get_by_role("heading", name="Record history")).to_be_visible()
    axe_check(page)


def test_two_factor_enrolment_by_code_passes_axe_and_works_by_keyboard(
        page, live_server, sign_in, axe_check, make_user):
    """Issue 19, finding 1: an administrator issues a code; the new Head of Department
    enrols with it after their password. Every page passes axe."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.constants import Role
    from tests.browser.conftest import DEMO_PASSWORD
    from tests.otp import current_code

    admin = make_user(Role.ADMINISTRATOR, username="b_admin", password=DEMO_PASSWORD)
    head = make_user(Role.HEAD_OF_DEPARTMENT, username="b_head", first_name="Hana",
                     last_name="Okafor", password=DEMO_PASSWORD)
    sign_in(page, admin)
    page.goto(f"{live_server.url}/accounts/enrolment/")
    axe_check(page)
    page.get_by_role("link", name="Issue an enrolment code for Hana Okafor").click()
    axe_check(page)
    page.get_by_role("button", name="Issue a code").click()
    code = page.locator(".app-enrolment-code").inner_text()
    axe_check(page)

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Username").fill(head.username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/accounts/two-factor/")
    axe_check(page)
    page.get_by_label("Enrolment code").fill("WRONG-CODE-0000")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    page.get_by_label("Enrolment code").fill(code)
    page.keyboard.press("Enter")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    axe_check(page)
    device = TOTPDevice.objects.get(user=head, confirmed=False)
    page.get_by_label("Security code").fill(current_code(device))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")

"""Paragraph 11 in a real browser: a caseworker raises an at-risk report, the senior on duty
acknowledges it and records a vital-interests disclosure, Compliance sees it in the register.
axe on every page; the key steps by keyboard."""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.constants import Role
from atrisk.models import AtRiskReport, VitalInterestsDisclosure
from tests.atrisk.factories import DutyRotaFactory

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("role_groups")]  # tests/browser/conftest.py


def _tab_to(page, text: str, limit: int = 80) -> None:
    """Press Tab until the focused element's text or label is ``text``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(document.activeElement.innerText || document.activeElement.value || '').trim()")
        if focused == text:
            return
    raise AssertionError(f"could not reach {text!r} by keyboard")


def test_raise_acknowledge_disclose_and_register(browser, live_server, sign_in, axe_check,
                                                 make_user):
    manager = make_user(Role.LINE_MANAGER)
    caseworker = make_user(Role.CASEWORKER, line_manager=manager)
    senior = make_user(Role.SENIOR_STAFF, first_name="Samir", last_name="Patel")
    make_user(Role.SENIOR_STAFF)  # in the group but not on duty
    make_user(Role.COMPLIANCE, username="compliance-officer")
    DutyRotaFactory(senior=senior)

    # A caseworker raises the report.
    page = browser.new_page()
    sign_in(page, caseworker)
    page.goto(f"{live_server.url}/at-risk/new/")
    axe_check(page)
    expect(page.get_by_text("not personally responsible")).to_be_visible()
    # Submitting nothing: the error summary, axe clean.
    page.get_by_role("button", name="Send to senior staff now").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    page.get_by_label("Telephone call").check()
    page.get_by_label("Threat of self-harm").check()
    page.get_by_label("What was said or written").fill("Said they would take pills tonight.")
    page.get_by_label("When the threat was made").fill("2026-01-05T10:30")
    page.get_by_label("Any location given").fill("A bridge in Leeds")
    page.get_by_label("Yes, I suggested they contact the emergency services").check()
    page.get_by_role("button", name="Send to senior staff now").click()
    page.wait_for_url(f"{live_server.url}/at-risk/*/")
    report = AtRiskReport.objects.get()
    expect(page.get_by_role("heading", name=f"At-risk report {report.pk}")).to_be_visible()
    axe_check(page)
    page.close()

    # The senior on duty acknowledges it, by keyboard, and records a disclosure.
    page = browser.new_page()
    sign_in(page, senior)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Decisions").click()
    page.get_by_role("navigation", name="Pages in Decisions").get_by_role(
        "link", name="At-risk reports").click()
    axe_check(page)
    page.get_by_role("link", name=f"Report {report.pk}").click()
    axe_check(page)
    _tab_to(page, "Acknowledge: I am dealing with this")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("You have acknowledged this report.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Record a disclosure to an authority").click()
    axe_check(page)
    page.get_by_role("button", name="Record the disclosure").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert "Enter why the disclosure is necessary" in summary.inner_text()
    axe_check(page)
    page.get_by_label("Why is the disclosure necessary to protect someone's life?").fill(
        "They gave a plan and a time.")
    page.get_by_label("Which less intrusive options did you consider?").fill(
        "Asked them to call 999; they refused.")
    page.get_by_label("The person could consent but refused").check()
    page.get_by_label("Why was consent not relied on?").fill("Delay risked their life.")
    page.get_by_label("Police").check()
    page.get_by_label("Recipient authority").fill("West Yorkshire Police control room")
    page.get_by_label("Exactly what was disclosed").fill("Name, phone number and location.")
    page.get_by_role("button", name="Record the disclosure").click()
    expect(page.get_by_text("Disclosure recorded. Compliance have been told.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Record the assessment").click()
    axe_check(page)
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    page.get_by_label("I spoke to the member of staff who made the report").check()  # 11.5
    page.get_by_label("When you spoke to them").fill(
        timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Yes").check()
    page.get_by_label("Which agencies").fill("Police")
    page.get_by_label("When they were contacted").fill("2026-01-05T10:45")
    page.get_by_label("Outcome").fill("Officers attended; the caller is safe.")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_text("Assessment saved.")).to_be_visible()
    page.goto(f"{live_server.url}/at-risk/duty/")
    expect(page.get_by_text("Samir Patel").first).to_be_visible()
    axe_check(page)
    page.close()

    # Compliance sees it in the register and records it.
    from accounts.models import User

    page = browser.new_page()
    sign_in(page, User.objects.get(username="compliance-officer"))
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Compliance").click()
    page.get_by_role("navigation", name="Pages in Compliance").get_by_role(
        "link", name="Disclosure register").click()
    axe_check(page)
    expect(page.get_by_text("West Yorkshire Police control room")).to_be_visible()
    disclosure = VitalInterestsDisclosure.objects.get()
    page.get_by_label("Register").select_option("not_recorded")
    page.get_by_role("button", name="Apply filters").click()
    axe_check(page)
    _tab_to(page, f"Record disclosure {disclosure.pk} in the register")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text(f"Disclosure {disclosure.pk} recorded in the register.")
           ).to_be_visible()
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these disclosures as CSV").click()
    csv_text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "West Yorkshire Police control room" in csv_text
    page.close()
    disclosure.refresh_from_db()
    assert disclosure.registered_at is not None


def test_register_filter_errors_are_axe_clean(page, sign_in, axe_check, make_user, live_server):
    sign_in(page, make_user(Role.COMPLIANCE))
    page.goto(f"{live_server.url}/at-risk/disclosures/?state=deleted&date_from=yesterday")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_text("Correct the filters to see the register.")).to_be_visible()
    expect(page.get_by_label("Disclosed from")).to_have_class(re.compile("govuk-input"))
    axe_check(page)

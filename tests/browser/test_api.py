"""Integration pages in a real browser: the Administrator's client screens and the API docs
pass axe; an agent's open page shows a call put through to them without a reload."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.constants import Role
from api import services
from tests.contacts.factories import CustomerPhoneFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _groups():
    for name in Role.values:
        Group.objects.get_or_create(name=name)


def test_administrator_registers_a_client_and_sees_its_key_once(
        page, live_server, sign_in, axe_check, make_user):
    sign_in(page, make_user(Role.ADMINISTRATOR))
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Administration").click()
    page.get_by_role("navigation", name="Pages in Administration").get_by_role(
        "link", name="System clients").click()
    axe_check(page)
    page.get_by_role("link", name="Register a system client").click()
    page.get_by_role("button", name="Register client").click()  # nothing filled in
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    page.get_by_label("Name of the system").fill("Telephony")
    page.get_by_label("Telephony").check()
    page.get_by_label("Caller lookup (screen-pop)").check()
    page.get_by_label("Call events").check()
    page.get_by_role("button", name="Register client").click()
    expect(page.get_by_role("heading", name="Key for Telephony")).to_be_visible()
    assert re.fullmatch(r"chk_[0-9a-f]{12}_\S+", page.locator("#api-key").inner_text())
    axe_check(page)
    page.get_by_role("link", name="Back to Telephony").click()
    axe_check(page)
    page.goto(f"{live_server.url}/integrations/api-docs/")
    expect(page.get_by_text("/api/v1/calls/events")).to_be_visible()
    axe_check(page)


def test_incoming_call_pops_on_the_agents_page_without_a_reload(
        page, live_server, sign_in, axe_check, make_user):
    agent = make_user(Role.CASEWORKER, username="agent.pop")
    CustomerPhoneFactory(number="07700 900777", customer__given_name="Robin",
                         customer__family_name="Ahmed")
    client, _ = services.client_register(actor=make_user(Role.ADMINISTRATOR), name="PBX",
                                         kind="telephony", scopes=["calls"])
    sign_in(page, agent)
    expect(page.locator("#screen-pop")).to_be_empty()
    call, _ = services.call_new(client=client, call_id="b-1", caller_number="+447700900777",
                                called_number="", direction="in", agent="agent.pop")
    banner = page.get_by_role("region", name="Incoming call")
    expect(banner).to_be_visible(timeout=15_000)  # the 5-second poll, no reload
    expect(banner).to_contain_text("Robin Ahmed")
    axe_check(page)
    button = page.get_by_role("button", name="Open the contact")
    button.focus()
    page.keyboard.press("Enter")
    # issue 24: a call in progress opens in live-call mode
    page.wait_for_url(f"{live_server.url}/customers/contacts/{call.contact_id}/live/")

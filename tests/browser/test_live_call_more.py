"""Issue 24: the other live-call screens (difficult, abusive, ended, the 6.1 prompt refused
in place) pass axe at 320 px and 1,280 px. The keyboard path of an offensive call is in
test_live_call.py."""

import importlib

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.constants import Role
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


@pytest.mark.parametrize("width", WIDTHS)
def test_the_other_live_screens_pass_axe(page, live_server, sign_in, axe_check, make_user,
                                         width):
    from contacts import services

    page.set_viewport_size({"width": width, "height": 900})
    caseworker = make_user(Role.CASEWORKER, line_manager=make_user(Role.LINE_MANAGER))
    needs = ContactFactory(staff=caseworker,
                           customer=CustomerFactory(communication_needs="Hard of hearing"))
    difficult = ContactFactory(staff=caseworker)
    services.contact_classify(contact=difficult, actor=caseworker, behaviour="difficult")
    abusive = ContactFactory(staff=caseworker)
    services.contact_classify(contact=abusive, actor=caseworker, behaviour="abusive")
    ended = ContactFactory(staff=caseworker)
    services.contact_classify(contact=ended, actor=caseworker, behaviour="abusive")
    services.handling_step_record(contact=ended, actor=caseworker, step="ended_abusive",
                                  explained=True)
    sign_in(page, caseworker)
    base = f"{live_server.url}/customers/contacts"
    for contact, shows in ((needs, "#id_equality_considered"),
                           (difficult, "#live-step-told_will_consult"),
                           (abusive, "#live-step-ended_abusive"), (ended, "#live-log-link")):
        page.goto(f"{base}/{contact.pk}/live/")
        expect(page.locator(shows)).to_be_visible()
        axe_check(page)
    page.goto(f"{base}/{needs.pk}/live/")  # the 6.1 prompt refused in place (htmx)
    page.get_by_label("Abusive or threatening").check()
    page.locator("#live-classify-submit").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    axe_check(page)
    page.get_by_label("I have considered whether").check()
    page.locator("#live-classify-submit").click()
    expect(page.locator("#live-step-ended_abusive-heading")).to_be_focused()
    axe_check(page)

"""Issue 19, finding 10: bidirectional text controls cannot turn the service's text around.

U+202E (right-to-left override) and U+2066-U+2069 (isolates) are stripped from every
submitted field (``core.bidi``), and user text is isolated in the templates that mix it with
the service's own words (the adjustment banner, the customer page, the contact page).
"""

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from contacts.models import Contact
from core.bidi import BIDI_CONTROLS
from tests.restrictions.factories import AdjustmentFactory
from tests.security.permission_matrix import MATRIX
from tests.security.test_fuzz_every_form import URLS, _actor, _forms_in
from tests.security.urlwalk import url_for
from tests.security.world import World

pytestmark = pytest.mark.django_db
CONTROLS = ["\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_contact_summary_is_stored_without_the_control(control, client_for):
    world = World()
    client = client_for(world.caseworker)
    response = client.post(reverse("contacts:contact_log", args=[world.customer.pk]), {
        "channel": "phone", "direction": "inbound", "case_reference": "",
        "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "summary": f"Asked {control}about the case"})
    assert response.status_code == 302
    assert Contact.objects.get(customer=world.customer).summary == "Asked about the case"


def test_every_free_text_field_of_every_form_reaches_the_view_without_controls(client_for):
    """Each form's text fields are posted with every control; the bound form the view
    validates (and would save) holds none of them."""
    world = World()
    checked = 0
    for name in URLS:
        rule = MATRIX[name]
        url = url_for(name, rule, world)
        client = client_for(world.actor(_actor(rule)))
        page = client.get(url)
        text_fields = [form.add_prefix(field) for form in _forms_in(page.context)
                       for field, f in form.fields.items()
                       if isinstance(f, forms.CharField) and not f.widget.is_hidden]
        if not text_fields:
            continue
        payload = {field: f"one {''.join(CONTROLS)}two" for field in text_fields}
        response = client.post(url, payload)
        for form in _forms_in(response.context):
            for field in text_fields:
                value = form.data.get(field, "")
                assert not any(c in value for c in BIDI_CONTROLS), (name, field)
                checked += 1
    assert checked > 50, "the walk should reach the project's free-text fields"


@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_stored_text_with_a_control_is_isolated_in_the_banner(control, client_for):
    """Text stored before the fix, or arriving another way, stays inside its <bdi>."""
    world = World()
    AdjustmentFactory(customer=world.customer, need=f"Hearing {control}difficulty",
                      requested_by=world.manager, decided_by=world.hod,
                      department=world.hod.department)
    html = client_for(world.caseworker).get(
        reverse("contacts:customer_detail", args=[world.customer.pk])).content.decode()
    assert f"Need: <bdi>Hearing {control}difficulty</bdi>." in html


def test_the_customer_page_isolates_names_and_summaries(client_for):
    from tests.contacts.factories import ContactFactory

    world = World()
    ContactFactory(customer=world.customer, staff=world.caseworker, summary="كلمة")
    html = client_for(world.caseworker).get(
        reverse("contacts:customer_detail", args=[world.customer.pk])).content.decode()
    assert "<bdi>كلمة</bdi>" in html, "right-to-left letters are kept, and isolated"
    assert f'<h1 class="govuk-heading-l"><bdi>{escape(world.customer.full_name)}' in html

"""Every help page is reachable from a screen that implements its paragraphs.

Each screen renders "Help with this" links (``templates/help/_link.html``) from the table in
``core.help``; these tests render the real screens through the test client.
"""

import pytest
from django.urls import reverse

from accounts.constants import Role
from core.help import STEP_TOPICS, TOPICS
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db


def _help_href(slug: str) -> str:
    return reverse("core:help", args=[slug])


@pytest.fixture
def screens(make_user):
    """(user, url) for the screens staff use, with the data each needs."""
    caseworker = make_user(Role.CASEWORKER)
    contact = ContactFactory(staff=caseworker)
    persistent = ContactFactory(staff=caseworker, behaviour="persistent")
    on_contact = [
        reverse(name, args=[contact.pk]) for name in (
            "contacts:contact_classify", "contacts:contact_end", "contacts:callback_arrange",
            "contacts:escalation_record",
            "contacts:name_given_record",
            "contacts:written_review_raise", "contacts:contact_detail")
    ] + [reverse("contacts:contact_step", args=[contact.pk, step]) for step in STEP_TOPICS]
    urls = [*on_contact,
            reverse("contacts:contact_detail", args=[persistent.pk]),
            reverse("contacts:customer_detail", args=[contact.customer.pk]),
            reverse("callogs:my_logs"),
            reverse("welfare:home"),
            reverse("atrisk:report_create") + f"?contact={contact.pk}"]
    hod = make_user(Role.HEAD_OF_DEPARTMENT, department=caseworker.department)
    return [(caseworker, url) for url in urls] + [(hod, reverse("restrictions:to_decide"))]


def test_every_help_topic_is_linked_from_a_screen(client_for, screens):
    linked: set[str] = set()
    for user, url in screens:
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        linked |= {t.slug for t in TOPICS if f'href="{_help_href(t.slug)}"' in html}
    missing = [t.slug for t in TOPICS if t.slug not in linked]
    assert not missing, f"help topics no screen links to: {missing}"


@pytest.mark.parametrize(("step", "slug"), [
    ("warned_will_end", "offensive"), ("ended_abusive", "abusive"),
    ("told_will_consult", "difficult"),
])
def test_guided_steps_link_to_their_paragraph(client_for, make_user, step, slug):
    caseworker = make_user(Role.CASEWORKER)
    contact = ContactFactory(staff=caseworker)
    html = client_for(caseworker).get(
        reverse("contacts:contact_step", args=[contact.pk, step])).content.decode()
    assert f'href="{_help_href(slug)}"' in html
    assert "Help with this:" in html


def test_classification_links_to_behaviour_and_equality(client_for, make_user):
    caseworker = make_user(Role.CASEWORKER)
    contact = ContactFactory(staff=caseworker)
    html = client_for(caseworker).get(
        reverse("contacts:contact_classify", args=[contact.pk])).content.decode()
    assert "Help with this: Classifying behaviour (5.1 to 5.5)" in html
    assert f'href="{_help_href("equality")}"' in html


def test_help_pages_themselves_carry_no_help_links(client_for, make_user):
    html = client_for(make_user(Role.CASEWORKER)).get(
        reverse("core:help", args=["offensive"])).content.decode()
    assert "Help with this:" not in html

"""The customer page's challenges panel (Art. 16), fed by a fact computed with the customer."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from contacts.selectors import customer_for_page
from core import extensions
from privacy import panels
from privacy.models import RecordChallenge
from tests.contacts.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _challenge(customer, recorded_by, statement="That is not what I said."):
    return RecordChallenge.objects.create(customer=customer, statement=statement,
                                          received_on=timezone.localdate(),
                                          recorded_by=recorded_by)


def test_the_fact_is_registered_for_the_customer_page():
    assert panels.challenge_facts in extensions.customer_page_facts
    assert panels.challenge_panels in extensions.customer_banners


def test_no_challenge_costs_the_panel_no_query(make_user, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = make_user(Role.CASEWORKER)
    customer = customer_for_page(CustomerFactory().pk)
    assert getattr(customer, panels.CHALLENGES_FACT) is False
    with django_assert_num_queries(0):
        assert list(panels.challenge_panels(request, customer)) == []


def test_customer_page_shows_challenges_only_for_that_customer(make_user, client_for):
    caseworker, compliance = make_user(Role.CASEWORKER), make_user(Role.COMPLIANCE)
    challenged, other = CustomerFactory(), CustomerFactory()
    _challenge(challenged, compliance, "My address was wrong.")
    client = client_for(caseworker)
    html = client.get(reverse("contacts:customer_detail", args=[challenged.pk])).content.decode()
    assert "The customer has challenged this record" in html
    assert "My address was wrong." in html
    html = client.get(reverse("contacts:customer_detail", args=[other.pk])).content.decode()
    assert "The customer has challenged this record" not in html


def test_panel_without_the_fact_still_asks_the_database(make_user):
    """A customer loaded elsewhere has no fact: the panel reads the challenges itself."""
    request = RequestFactory().get("/")
    request.user = make_user(Role.CASEWORKER)
    customer = CustomerFactory()
    _challenge(customer, make_user(Role.COMPLIANCE))
    [panel] = panels.challenge_panels(request, customer)
    assert len(panel.context["challenges"]) == 1

"""Proof 4 (issue 8): every view that reads ``request.GET`` accepts only declared values.

The views reading GET (grep ``request.GET`` in the apps): contacts lookup (``q``, searched as
text) and customer page (``page``); at-risk register and its CSV (declared form choices);
restriction request (``kind`` from ``Kind.values``); at-risk report and distress flag
(``contact``, digits only, and only one's own); paginated lists (``page``); the audit search
(``test_audit_access.py``); two-factor ``next`` (same-site only). Nothing reaches
``order_by`` or a lookup name.
"""

import pytest
from django.urls import reverse

from tests.security.world import World

pytestmark = pytest.mark.django_db

EVIL = ["decided_by__password", "-password", "staff__password", "1 OR 1=1", "__class__",
        "id__gt=0"]


@pytest.fixture
def world():
    return World()


@pytest.mark.parametrize("value", EVIL)
def test_register_filters_refuse_undeclared_values(world, client_for, value):
    client = client_for(world.compliance)
    params = {"recipient_type": value, "state": value, "o": value, "ordering": value}
    response = client.get(reverse("atrisk:register"), params)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert client.get(reverse("atrisk:register_csv"), params).status_code == 400


@pytest.mark.parametrize("value", EVIL)
def test_restriction_kind_falls_back_to_the_default(world, client_for, value):
    response = client_for(world.manager).get(
        reverse("restrictions:create", args=[world.customer.pk]), {"kind": value})
    assert response.status_code == 200
    assert "Request a restriction" in response.content.decode()


@pytest.mark.parametrize("value", EVIL)
def test_lookup_treats_the_query_as_text(world, client_for, value):
    response = client_for(world.caseworker).get(reverse("contacts:lookup"),
                                                {"q": value, "o": value, "sort": value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", [*EVIL, "999999", "-1", "0"])
def test_page_numbers_are_only_numbers(world, client_for, value):
    for user, url in [
        (world.caseworker, reverse("notifications:inbox")),
        (world.caseworker, reverse("notifications:reminders")),
        (world.caseworker, reverse("contacts:customer_detail", args=[world.customer.pk])),
        (world.compliance, reverse("privacy:sar_list")),
        (world.compliance, reverse("audit:search")),
    ]:
        assert client_for(user).get(url, {"page": value}).status_code == 200, url


@pytest.mark.parametrize("value", ["decided_by__password", "1 OR 1=1", "-1"])
def test_contact_parameter_is_digits_only(world, client_for, value):
    client = client_for(world.caseworker)
    assert client.get(reverse("atrisk:report_create"), {"contact": value}).status_code in (
        200, 403)
    assert client.get(reverse("welfare:distress_raise"), {"contact": value}).status_code == 200


def test_someone_elses_contact_cannot_be_attached(world, client_for):
    """A contact id in the query string that is not the user's own is refused or ignored."""
    response = client_for(world.peer).get(reverse("atrisk:report_create"),
                                          {"contact": world.contact.pk})
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert world.contact.customer.reference not in response.content.decode()

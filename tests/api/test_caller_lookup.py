"""Caller lookup for a screen-pop (12.3): the lookup page's selector, with what is in force."""

import pytest
from django.urls import reverse

from restrictions.constants import Term
from tests.accounts.factories import UserFactory
from tests.contacts.factories import (
    CaseReferenceFactory,
    CustomerEmailFactory,
    CustomerPhoneFactory,
)
from tests.restrictions.factories import AdjustmentFactory, ApprovedRestrictionFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/callers"


def test_restricted_caller_by_phone_gets_banner_channels_and_deep_link(api, requester):
    phone = CustomerPhoneFactory(number="07700 900123")
    poc = UserFactory(first_name="Casey", last_name="Walsh")
    ApprovedRestrictionFactory(customer=phone.customer, terms=[Term.WRITTEN_ONLY,
                                                               Term.SINGLE_POINT],
                               point_of_contact=poc, **requester)
    response = api.get(URL, {"phone": "+44 7700 900123"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 1
    caller = body["results"][0]
    assert caller["id"] == phone.customer.pk
    assert caller["restricted"] is True
    assert caller["adjustment"] is False
    # 12.3: "written contact only": no telephone, no visit
    assert "phone" not in caller["channels_allowed"]
    assert "in_person" not in caller["channels_allowed"]
    assert "letter" in caller["channels_allowed"]
    assert caller["banners"][0]["heading"] == "Restricted contact"
    assert "Single point of contact: Casey Walsh" in caller["banners"][0]["summary"]
    assert "do not continue by telephone" in caller["phone_warning"]
    assert caller["deep_link"].endswith(
        reverse("contacts:customer_detail", args=[phone.customer.pk]))


def test_unrestricted_caller_has_every_channel_and_no_banner(api):
    email = CustomerEmailFactory(email="Sam@Example.com")
    body = api.get(URL, {"email": "sam@example.com"}).json()
    caller = body["results"][0]
    assert caller["restricted"] is False
    assert caller["banners"] == []
    assert caller["channels_allowed"] == ["phone", "email", "letter", "in_person", "web_form"]
    assert caller["phone_warning"] is None
    assert caller["id"] == email.customer.pk


def test_adjustment_shows_equality_prompt_and_phone_warning(api, requester):
    case = CaseReferenceFactory(reference="RFA0000042")
    AdjustmentFactory(customer=case.customer, **requester)
    caller = api.get(URL, {"case_reference": "RFA0000042"}).json()["results"][0]
    assert caller["adjustment"] is True
    assert caller["banners"][0]["heading"] == "Reasonable adjustment"
    assert caller["banners"][0]["steps"][0].startswith("6.1")
    assert "email instead of telephone" in caller["phone_warning"]
    assert caller["case_references"] == ["RFA0000042"]


def test_no_match_is_an_empty_list(api):
    assert api.get(URL, {"phone": "01632 960000"}).json() == {
        "count": 0, "more": False, "results": []}


@pytest.mark.parametrize("query", [{}, {"phone": "1", "email": "a@b.example"},
                                   {"postcode": "SW1A 1AA"}, {"email": "not-an-email"}])
def test_bad_queries_are_problems(api, query):
    response = api.get(URL, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:contact-handling:problem:validation-error"


def test_lookup_costs_a_fixed_number_of_queries(api, requester, django_assert_max_num_queries):
    """One page of 20 restricted customers costs no more than one of 1 (no query per row)."""
    for i in range(20):
        phone = CustomerPhoneFactory(number=f"07700 9{i:02d}4321")
        ApprovedRestrictionFactory(customer=phone.customer, **requester)
    api.get(URL, {"phone": "07700 9004321"})  # warm the content-type cache
    with django_assert_max_num_queries(12):
        response = api.get(URL, {"phone": "4321"})  # the last digits: matches all 20
    assert response.json()["count"] == 20

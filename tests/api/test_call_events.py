"""Call events (new_call, answered, hangup), idempotent by call id; a new inbound call to a
known agent opens a phone contact for them (7), shown in their browser by the screen-pop."""

import pytest
from django.urls import reverse

from accounts.constants import Role
from api.models import CallEvent
from api.services import UNIDENTIFIED_CALLER
from audit.models import AuditEvent
from contacts.models import Contact
from restrictions.constants import Term
from tests.contacts.factories import CustomerPhoneFactory
from tests.restrictions.factories import ApprovedRestrictionFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/calls/events"


@pytest.fixture
def agent(make_user):
    return make_user(Role.CASEWORKER, username="agent.one")


def _new_call(api, call_id="c-1", caller="+44 7700 900123", agent="agent.one", **extra):
    return api.post(URL, {"event": "new_call", "call_id": call_id, "caller_number": caller,
                          "called_number": "0303 123 1113", "direction": "in",
                          "agent": agent, **extra}, format="json")


def test_new_call_from_a_known_number_opens_a_contact_for_the_customer(api, agent,
                                                                       full_client):
    phone = CustomerPhoneFactory(number="07700 900123")
    response = _new_call(api)
    assert response.status_code == 201, response.content
    body = response.json()
    contact = Contact.objects.get(pk=body["contact_id"])
    assert contact.customer == phone.customer
    assert contact.channel == "phone"
    assert contact.direction == "inbound"
    assert contact.staff == agent
    assert contact.ended_at is None
    assert body["agent"] == "agent.one"
    assert body["contact_link"].endswith(f"/customers/contacts/{contact.pk}/")
    event = AuditEvent.objects.get(action="callevent.new_call")
    assert event.actor_id == full_client[0].account_id


def test_unknown_number_opens_a_contact_for_a_caller_not_yet_identified(api, agent):
    body = _new_call(api, caller="01632 960001").json()
    contact = Contact.objects.get(pk=body["contact_id"])
    assert contact.customer is None
    assert contact.caller_name == UNIDENTIFIED_CALLER
    assert body["callers"] == []


def test_same_new_call_twice_is_one_record(api, agent):
    first = _new_call(api)
    second = _new_call(api)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["created"] is False
    assert CallEvent.objects.count() == 1
    assert Contact.objects.count() == 1


def test_answered_and_hangup_are_idempotent(api, agent):
    _new_call(api)
    for event in ("answered", "hangup"):
        first = api.post(URL, {"event": event, "call_id": "c-1"}, format="json")
        again = api.post(URL, {"event": event, "call_id": "c-1"}, format="json")
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["state"] == event
    call = CallEvent.objects.get()
    assert call.answered_at is not None
    assert call.ended_at is not None
    # the contact stays open: ending it is the agent's decision, with its outcome (7.4-7.5)
    assert call.contact.ended_at is None


def test_events_for_an_unknown_call_are_refused(api):
    response = api.post(URL, {"event": "hangup", "call_id": "never"}, format="json")
    assert response.status_code == 400
    assert "call_id" in response.json()["errors"]


def test_call_for_an_unknown_agent_or_outbound_opens_no_contact(api, agent, make_user):
    assert _new_call(api, call_id="c-2", agent="nobody").json()["contact_id"] is None
    make_user(Role.COMPLIANCE, username="compliance.one")
    assert _new_call(api, call_id="c-3", agent="compliance.one").json()["contact_id"] is None
    body = _new_call(api, call_id="c-4", direction="out").json()
    assert body["contact_id"] is None
    assert Contact.objects.count() == 0


def test_call_from_a_restricted_customer_returns_the_channels_allowed(api, agent, requester):
    phone = CustomerPhoneFactory(number="07700 900123")
    ApprovedRestrictionFactory(customer=phone.customer, terms=[Term.WRITTEN_ONLY], **requester)
    body = _new_call(api).json()
    caller = body["callers"][0]
    assert caller["restricted"] is True
    assert "phone" not in caller["channels_allowed"]
    assert set(caller["channels_allowed"]) == {"email", "letter", "web_form"}
    assert "do not continue by telephone" in caller["phone_warning"]


def test_same_call_id_from_two_clients_is_two_calls(make_client, api_for, agent):
    _, one = make_client()
    _, two = make_client()
    assert _new_call(api_for(one)).status_code == 201
    assert _new_call(api_for(two)).status_code == 201


def test_agent_browser_poll_shows_the_call_and_opens_the_contact(api, agent, client_for):
    CustomerPhoneFactory(number="07700 900123", customer__given_name="Robin",
                         customer__family_name="Ahmed")
    browser = client_for(agent)
    assert b"Incoming call" not in browser.get(reverse("integrations:screen_pop")).content
    contact_id = _new_call(api).json()["contact_id"]
    page = browser.get(reverse("integrations:screen_pop"))
    assert b"Incoming call" in page.content
    assert b"Robin Ahmed" in page.content
    call = CallEvent.objects.get()
    opened = browser.post(reverse("integrations:screen_pop_open", args=[call.pk]))
    assert opened["Location"] == reverse("contacts:contact_live", args=[contact_id])
    assert b"Incoming call" not in browser.get(reverse("integrations:screen_pop")).content


def test_another_agent_cannot_open_my_call(api, agent, make_user, client_for):
    _new_call(api)
    other = make_user(Role.CASEWORKER)
    call = CallEvent.objects.get()
    response = client_for(other).post(reverse("integrations:screen_pop_open", args=[call.pk]))
    assert response.status_code == 404
    assert b"Incoming call" not in client_for(other).get(
        reverse("integrations:screen_pop")).content


def test_every_page_polls_for_agents_only(agent, make_user, client_for):
    assert b'id="screen-pop"' in client_for(agent).get("/").content
    compliance = make_user(Role.COMPLIANCE)
    assert b'id="screen-pop"' not in client_for(compliance).get("/").content


def test_screen_pop_url_opens_the_one_matching_customer(agent, client_for):
    phone = CustomerPhoneFactory(number="07700 900123")
    response = client_for(agent).get("/", {"caller": "+447700900123"})
    assert response["Location"] == reverse("contacts:customer_detail", args=[phone.customer.pk])


def test_screen_pop_url_with_no_or_many_matches_opens_the_lookup(agent, client_for):
    response = client_for(agent).get("/", {"caller": "+441632960009"})
    assert response["Location"].startswith(reverse("contacts:lookup") + "?q=")


def test_screen_pop_url_needs_sign_in(client):
    response = client.get("/", {"caller": "+447700900123"})
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_the_pop_warns_when_the_caller_may_not_be_dealt_with_by_phone(api, agent, client_for,
                                                                     requester):
    phone = CustomerPhoneFactory(number="07700 900123")
    ApprovedRestrictionFactory(customer=phone.customer, terms=[Term.WRITTEN_ONLY], **requester)
    _new_call(api)
    page = client_for(agent).get(reverse("integrations:screen_pop")).content.decode()
    assert "govuk-warning-text" in page
    assert "do not continue by telephone" in page

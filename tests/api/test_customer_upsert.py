"""Case-management sync: PUT /api/v1/customers/{external_id} upserts a customer and their
case references by the case system's id, through the customers app's own services."""

import pytest

from api.models import ExternalCustomer
from audit.models import AuditEvent
from contacts.models import CaseReference, Customer
from tests.contacts.factories import CaseReferenceFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/customers/{}"
BODY = {"given_name": "Robin", "family_name": "Ahmed", "phones": ["07700 900321"],
        "emails": ["robin@example.com"], "case_references": ["RFA0000321"],
        "preferred_language": "cy"}


def test_create_then_same_payload_again_is_one_record(api, full_client):
    first = api.put(URL.format("CMEH-1"), BODY, format="json")
    assert first.status_code == 201, first.content
    again = api.put(URL.format("CMEH-1"), BODY, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Customer.objects.count() == 1
    assert ExternalCustomer.objects.get().external_id == "CMEH-1"
    customer = Customer.objects.get()
    assert customer.preferred_language == "cy"
    assert list(customer.case_references.values_list("reference", flat=True)) == ["RFA0000321"]
    created = AuditEvent.objects.filter(action="customer.created").get()
    assert created.actor_id == full_client[0].account_id  # the case system, by name
    assert not AuditEvent.objects.filter(action="customer.updated").exists()  # nothing changed


def test_update_changes_only_what_is_sent(api):
    api.put(URL.format("CMEH-2"), BODY, format="json")
    response = api.put(URL.format("CMEH-2"), {"family_name": "Ahmed-Jones",
                                              "case_references": ["RFA0000321", "RFA0000322"]},
                       format="json")
    assert response.status_code == 200
    customer = Customer.objects.get()
    assert customer.family_name == "Ahmed-Jones"
    assert customer.given_name == "Robin"
    assert set(CaseReference.objects.values_list("reference", flat=True)) == {
        "RFA0000321", "RFA0000322"}
    assert AuditEvent.objects.filter(action="customer.updated").count() == 1


def test_two_clients_ids_are_separate(make_client, api_for):
    _, one = make_client(scopes=["cases"])
    _, two = make_client(scopes=["cases"])
    api_for(one).put(URL.format("X-1"), {"given_name": "A", "family_name": "One"},
                     format="json")
    api_for(two).put(URL.format("X-1"), {"given_name": "B", "family_name": "Two"},
                     format="json")
    assert Customer.objects.count() == 2


def test_the_customers_rules_answer_as_problems(api):
    CaseReferenceFactory(reference="RFA0000999")
    response = api.put(URL.format("CMEH-3"), {"given_name": "Sam", "family_name": "Lee",
                                              "phones": ["not a phone"],
                                              "case_references": ["RFA0000999"]},
                       format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert Customer.objects.filter(given_name="Sam").count() == 0
    assert not ExternalCustomer.objects.exists()


def test_a_client_without_cases_scope_cannot_keep_customers(make_client, api_for):
    from contacts.customer_services import may_keep_customers

    client, key = make_client(scopes=["lookup"])
    assert api_for(key).put(URL.format("CMEH-4"), BODY, format="json").status_code == 403
    assert may_keep_customers(client.account) is False
    cases, _ = make_client(scopes=["cases"])
    assert may_keep_customers(cases.account) is True


def test_revoked_case_system_account_cannot_keep_customers(make_client, administrator):
    from api.services import client_revoke
    from contacts.customer_services import may_keep_customers

    client, _ = make_client(scopes=["cases"])
    client_revoke(actor=administrator, client=client)
    client.account.refresh_from_db()
    assert may_keep_customers(client.account) is False


def test_staff_check_costs_no_query(make_user, django_assert_num_queries):
    from accounts.constants import Role
    from contacts.customer_services import may_keep_customers

    compliance = make_user(Role.COMPLIANCE)
    compliance.role_names  # noqa: B018 - warm the role cache
    with django_assert_num_queries(0):
        assert may_keep_customers(compliance) is False

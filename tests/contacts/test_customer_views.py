"""Adding and editing customers from the pages (issue 16): lookup with no match leads to
"Add a new customer" prefilled, duplicates warned, GOV.UK error summary, both-way access."""

import pytest
from django.urls import reverse

from accounts.constants import Role
from audit.models import AuditEvent
from contacts.models import Customer
from tests.contacts.factories import CustomerEmailFactory, CustomerFactory, CustomerPhoneFactory

pytestmark = pytest.mark.django_db

KEEPERS = [Role.CASEWORKER, Role.LINE_MANAGER, Role.SENIOR_STAFF, Role.HEAD_OF_DEPARTMENT]
OTHERS = [Role.COMPLIANCE, Role.ADMINISTRATOR]
NEW = reverse("contacts:customer_create")


def _post(**overrides):
    data = {"given_name": "Ann", "family_name": "Quirke", "preferred_name": "", "phones": "",
            "emails": "", "address": "", "postcode": "", "case_references": "",
            "preferred_language": "en", "preferred_channel": "", "communication_needs": "",
            "duplicates_seen": ""}
    return {**data, **overrides}


@pytest.fixture
def caseworker(make_user):
    return make_user(Role.CASEWORKER, username="cw-keeper")


def test_a_lookup_with_no_match_offers_to_add_the_customer(client_for, caseworker):
    html = client_for(caseworker).get(reverse("contacts:lookup"), {"q": "07700 900555"}
                                      ).content.decode()
    assert "No customers found" in html
    assert f'{NEW}?q=07700%20900555' in html


@pytest.mark.parametrize(("typed", "field", "value"), [
    ("07700 900555", "phones", "07700 900555"),
    ("ann@example.com", "emails", "ann@example.com"),
    ("rfa 0123456", "case_references", "RFA0123456"),
    ("Ann O'Quirke", "given_name", "Ann"),
    ("Quirke", "family_name", "Quirke"),
])
def test_what_was_typed_is_carried_into_its_field(client_for, caseworker, typed, field, value):
    response = client_for(caseworker).get(NEW, {"q": typed})
    assert response.context["form"][field].value() == value


@pytest.mark.parametrize("role", KEEPERS)
def test_caseworkers_and_managers_may_add_and_edit(client_for, make_user, role):
    client = client_for(make_user(role))
    response = client.post(NEW, _post(phones="07700 900555\n+353 1 234 5678"))
    customer = Customer.objects.get(family_name="Quirke")
    assert response.status_code == 302
    assert response.url == reverse("contacts:customer_detail", args=[customer.pk])
    assert customer.phones.count() == 2
    edit = reverse("contacts:customer_edit", args=[customer.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, _post(given_name="Anne", preferred_language="cy",
                                       phones="07700 900555"))
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.given_name, customer.preferred_language) == ("Anne", "cy")
    assert customer.phones.count() == 1
    assert AuditEvent.objects.filter(action="customer.updated").count() == 1


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_may_not(client_for, make_user, role):
    client = client_for(make_user(role))
    customer = CustomerFactory()
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _post()).status_code == 403
    edit = reverse("contacts:customer_edit", args=[customer.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, _post(given_name="Changed")).status_code == 403
    assert not Customer.objects.filter(family_name="Quirke").exists()
    html = client.get(reverse("contacts:lookup"), {"q": "nobody"}).content.decode()
    assert "Add a new customer" not in html


def test_a_superuser_without_a_role_may_not_and_anonymous_is_sent_to_sign_in(
        client, client_for, make_user):
    root = make_user(is_superuser=True, is_staff=True)
    assert client_for(root).post(NEW, _post()).status_code == 403
    response = client.get(NEW)
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url
    assert not Customer.objects.exists()


def test_bad_input_shows_the_error_summary_and_keeps_everything_typed(client_for, caseworker):
    response = client_for(caseworker).post(NEW, _post(
        family_name="", given_name="", phones="07700 900555\nnot a number",
        emails="ann@example", address="1 High St\nBangor", postcode="LL57 2PW"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Phone number 2 (not a number) is not a phone number" in html
    assert "Email address 1 (ann@example) is not an email address" in html
    for typed in ("not a number", "ann@example", "1 High St", "LL57 2PW"):
        assert typed in html
    assert not Customer.objects.exists()


def test_likely_duplicates_are_shown_before_saving_then_saved_when_confirmed(
        client_for, caseworker):
    same_phone = CustomerFactory(given_name="Bob", family_name="Elsewhere")
    CustomerPhoneFactory(customer=same_phone, number="+44 7700 900555")
    same_email = CustomerFactory(given_name="Cat", family_name="Other")
    CustomerEmailFactory(customer=same_email, email="ANN@example.com")
    similar = CustomerFactory(given_name="Ann", family_name="Quirk")
    CustomerFactory(given_name="Zed", family_name="Unrelated")
    client = client_for(caseworker)
    data = _post(phones="07700 900555", emails="ann@example.com")
    response = client.post(NEW, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This may be someone we already have a record for" in html
    found = {d.customer for d in response.context["duplicates"]}
    assert found == {same_phone, same_email, similar}
    assert "the same phone number" in html
    assert "the same email address" in html
    assert "a similar name" in html
    assert "Unrelated" not in html
    assert html.count("Use this customer instead") == 3
    assert "Save as a new customer anyway" in html
    assert Customer.objects.count() == 4
    confirm = {**data, "duplicates_seen": response.context["form"]["duplicates_seen"].value()}
    response = client.post(NEW, confirm)
    assert response.status_code == 302
    assert Customer.objects.count() == 5


def test_an_edit_of_a_customer_that_does_not_exist_is_404(client_for, caseworker):
    response = client_for(caseworker).get(reverse("contacts:customer_edit", args=[999999]))
    assert response.status_code == 404


def test_the_customer_page_offers_change_to_keepers_only(client_for, caseworker, make_user):
    customer = CustomerFactory()
    edit = reverse("contacts:customer_edit", args=[customer.pk])
    page = reverse("contacts:customer_detail", args=[customer.pk])
    assert edit in client_for(caseworker).get(page).content.decode()
    assert edit not in client_for(make_user(Role.COMPLIANCE)).get(page).content.decode()

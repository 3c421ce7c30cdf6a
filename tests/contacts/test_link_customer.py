"""Linking an unknown caller's contact to a customer afterwards (issue 16)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse

from accounts.constants import Role
from audit.models import AuditEvent
from callogs.models import TerminatedCallLog
from contacts.constants import Behaviour, HandlingStepKind
from contacts.link_services import contact_link_customer
from contacts.models import BehaviourChange, Callback, Contact, HandlingStep, PersistentContactFlag
from tests.contacts.factories import CaseReferenceFactory, ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unknown(caseworker):
    return ContactFactory(customer=None, caller_name="Pat", staff=caseworker)


def test_linking_moves_the_contact_and_everything_on_it(caseworker, unknown):
    customer = CustomerFactory()
    BehaviourChange.objects.create(contact=unknown, behaviour=Behaviour.ABUSIVE,
                                   recorded_by=caseworker)
    HandlingStep.objects.create(contact=unknown, step=HandlingStepKind.ENDED_ABUSIVE,
                                recorded_by=caseworker, explained=True)
    Callback.objects.create(contact=unknown, assigned_to=caseworker, arranged_by=caseworker,
                            due_at=unknown.started_at)
    log = TerminatedCallLog.objects.create(contact=unknown, author=caseworker, caller_name="",
                                           call_at=unknown.started_at, reason="Abuse",
                                           staff_name="Cas Worker")
    contact_link_customer(actor=caseworker, contact=unknown, customer=customer)
    unknown.refresh_from_db()
    assert unknown.customer == customer
    assert unknown.customer_linked_by == caseworker
    assert unknown.customer_linked_at is not None
    assert unknown.caller_name == "Pat"  # what they said is kept
    assert customer.contacts.get().behaviour_changes.count() == 1
    assert Callback.objects.filter(contact__customer=customer).count() == 1
    assert HandlingStep.objects.filter(contact__customer=customer).count() == 1
    log.refresh_from_db()
    assert log.contact.customer == customer
    assert log.caller_name == customer.full_name  # appendix: now known, on the draft
    event = AuditEvent.objects.get(action="contact.customer_linked")
    assert event.changes["customer"] == [None, customer.pk]
    assert AuditEvent.objects.filter(action="customer.contact_linked",
                                     target_id=str(customer.pk)).exists()


@override_settings(CONTACTS_PERSISTENT_THRESHOLD=2)
def test_the_persistent_contact_count_sees_a_linked_contact(caseworker):
    customer = CustomerFactory()
    case = CaseReferenceFactory(customer=customer)
    ContactFactory(customer=customer, case_reference=case, staff=caseworker)
    unknown = ContactFactory(customer=None, caller_name="Pat", case_reference=case,
                             staff=caseworker)
    assert not PersistentContactFlag.objects.exists()
    contact_link_customer(actor=caseworker, contact=unknown, customer=customer)
    flag = PersistentContactFlag.objects.get(customer=customer)  # 7.2
    assert unknown in flag.contacts.all()


def test_a_contact_about_another_customers_case_is_refused(caseworker):
    case = CaseReferenceFactory()
    unknown = ContactFactory(customer=None, caller_name="Pat", case_reference=case,
                             staff=caseworker)
    with pytest.raises(ValidationError, match="on another customer's record"):
        contact_link_customer(actor=caseworker, contact=unknown, customer=CustomerFactory())


def test_an_already_linked_contact_is_refused(caseworker):
    contact = ContactFactory(staff=caseworker)
    with pytest.raises(ValidationError, match="already linked"):
        contact_link_customer(actor=caseworker, contact=contact, customer=CustomerFactory())


@pytest.mark.parametrize("who", ["owner", "manager"])
def test_the_owner_and_their_managers_may_link(caseworker, manager, unknown, who):
    actor = {"owner": caseworker, "manager": manager}[who]
    contact_link_customer(actor=actor, contact=unknown, customer=CustomerFactory())
    assert Contact.objects.get(pk=unknown.pk).customer is not None


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.LINE_MANAGER, Role.COMPLIANCE,
                                  Role.ADMINISTRATOR])
def test_anyone_else_may_not(make_user, unknown, role):
    with pytest.raises(PermissionDenied):
        contact_link_customer(actor=make_user(role), contact=unknown,
                              customer=CustomerFactory())
    assert Contact.objects.get(pk=unknown.pk).customer is None


def test_a_superuser_may_not(make_user, unknown):
    with pytest.raises(PermissionDenied):
        contact_link_customer(actor=make_user(is_superuser=True, is_staff=True),
                              contact=unknown, customer=CustomerFactory())


def test_the_page_finds_and_links_the_customer(client_for, caseworker, unknown):
    customer = CustomerFactory(given_name="Pat", family_name="O'Hara")
    client = client_for(caseworker)
    screen = client.get(reverse("contacts:contact_detail", args=[unknown.pk])).content.decode()
    url = reverse("contacts:contact_link_customer", args=[unknown.pk])
    assert url in screen
    html = client.get(url, {"q": "pat ohara"}).content.decode()
    assert "Link to this customer" in html
    assert f"contact={unknown.pk}" in html  # add a new customer and link them
    response = client.post(url + "?q=pat+ohara", {"customer": customer.pk})
    assert response.status_code == 302
    assert Contact.objects.get(pk=unknown.pk).customer == customer


def test_the_page_shows_a_refusal_without_a_500(client_for, caseworker):
    case = CaseReferenceFactory()
    unknown = ContactFactory(customer=None, caller_name="Pat", case_reference=case,
                             staff=caseworker)
    url = reverse("contacts:contact_link_customer", args=[unknown.pk])
    client = client_for(caseworker)
    for bad in ({"customer": CustomerFactory().pk}, {"customer": "x"}, {}):
        response = client.post(url, bad)
        assert response.status_code == 200
        assert "govuk-error-summary" in response.content.decode()
    assert Contact.objects.get(pk=unknown.pk).customer is None


def test_adding_a_customer_from_the_contact_links_it(client_for, caseworker, unknown):
    url = reverse("contacts:customer_create") + f"?q=Pat+Quill&contact={unknown.pk}"
    response = client_for(caseworker).post(url, {
        "given_name": "Pat", "family_name": "Quill", "preferred_language": "en"})
    assert response.status_code == 302
    assert response.url == reverse("contacts:contact_detail", args=[unknown.pk])
    assert Contact.objects.get(pk=unknown.pk).customer.family_name == "Quill"

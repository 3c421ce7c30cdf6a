"""customer_create and customer_update: who may act, validation, audited before/after."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.constants import Role
from audit.models import AuditEvent
from contacts.customer_services import customer_create, customer_update
from contacts.models import CaseReference, Customer
from tests.contacts.factories import (
    CaseReferenceFactory,
    ContactFactory,
    CustomerFactory,
    CustomerPhoneFactory,
)

KEEPERS = [Role.CASEWORKER, Role.LINE_MANAGER, Role.SENIOR_STAFF, Role.HEAD_OF_DEPARTMENT]
NOT_KEEPERS = [Role.COMPLIANCE, Role.ADMINISTRATOR]


@pytest.fixture
def caseworker(make_user):
    return make_user(Role.CASEWORKER, username="keeper")


def _full(actor, **overrides):
    details = {
        "actor": actor, "given_name": " Siobhán ", "family_name": "O'Brien",
        "preferred_name": "Shiv",
        "address": "1 High Street\n\n Bangor ", "postcode": "ll57 2pw", "preferred_language": "cy",
        "preferred_channel": "letter", "phones": ["+44 (0)7700 900123", "", "07700 900123",
                                            "+353 1 234 5678"],
        "emails": ["Siobhan@Example.com"], "case_references": ["rfa 0123456"],
    }
    return customer_create(**{**details, **overrides})


@pytest.mark.django_db
def test_create_stores_every_detail_tidied_and_audits_it(caseworker):
    customer = _full(caseworker)
    customer.refresh_from_db()
    assert (customer.given_name, customer.family_name, customer.preferred_name) == (
        "Siobhán", "O'Brien", "Shiv")
    assert customer.postal_address_lines == ["1 High Street", "Bangor", "LL57 2PW"]
    assert (customer.preferred_language, customer.preferred_channel) == ("cy", "letter")
    # The same number typed twice is one phone; shown nationally (UK) or internationally.
    assert sorted(customer.phones.values_list("number", "number_normalised")) == [
        ("+353 1 234 5678", "+35312345678"), ("07700 900123", "+447700900123")]
    assert list(customer.emails.values_list("email_normalised", flat=True)) == [
        "siobhan@example.com"]
    assert list(customer.case_references.values_list("reference", flat=True)) == ["RFA0123456"]
    event = AuditEvent.objects.get(action="customer.created")
    assert event.actor == caseworker
    assert event.target_id == str(customer.pk)
    assert event.changes["family_name"] == [None, "O'Brien"]
    assert event.changes["phones"] == [[], ["07700 900123", "+353 1 234 5678"]]
    assert event.changes["case_references"] == [[], ["RFA0123456"]]


@pytest.mark.django_db
@pytest.mark.parametrize("role", KEEPERS)
def test_caseworkers_and_managers_may_create_and_edit(make_user, role):
    actor = make_user(role)
    customer = customer_create(actor=actor, family_name="Jones")
    customer_update(actor=actor, customer=customer, given_name="Ann")
    assert Customer.objects.get(pk=customer.pk).full_name == "Ann Jones"


@pytest.mark.django_db
@pytest.mark.parametrize("role", NOT_KEEPERS)
def test_other_roles_may_not(make_user, role):
    actor = make_user(role)
    with pytest.raises(PermissionDenied):
        customer_create(actor=actor, family_name="Jones")
    with pytest.raises(PermissionDenied):
        customer_update(actor=actor, customer=CustomerFactory(), given_name="Ann")
    assert not AuditEvent.objects.filter(action__startswith="customer.").exists()


@pytest.mark.django_db
def test_a_superuser_without_a_role_and_an_anonymous_user_may_not(make_user):
    root = make_user(is_superuser=True, is_staff=True)
    for actor in (root, AnonymousUser(), None):
        with pytest.raises(PermissionDenied):
            customer_create(actor=actor, family_name="Jones")
    assert not Customer.objects.exists()


@pytest.mark.django_db
def test_every_bad_field_is_reported_at_once_and_nothing_is_written(caseworker):
    with pytest.raises(ValidationError) as error:
        customer_create(actor=caseworker, family_name="x" * 101, phones=["07700 900123", "12"],
                        emails=["not-an-email"], case_references=["ABC123"],
                        preferred_language="fr", preferred_channel="pigeon")
    fields = error.value.message_dict
    assert set(fields) == {"family_name", "phones", "emails", "case_references",
                           "preferred_language", "preferred_channel"}
    assert "Phone number 2 (12)" in fields["phones"][0]
    assert not Customer.objects.exists()


@pytest.mark.django_db
def test_a_name_is_needed(caseworker):
    with pytest.raises(ValidationError, match="first name or last name"):
        customer_create(actor=caseworker, phones=["07700 900123"])


@pytest.mark.django_db
def test_a_preferred_channel_needs_the_detail_to_use_it(caseworker):
    with pytest.raises(ValidationError, match="Add an email address"):
        customer_create(actor=caseworker, family_name="Jones", preferred_channel="email")
    with pytest.raises(ValidationError, match="Add a postal address"):
        customer_create(actor=caseworker, family_name="Jones", preferred_channel="letter")


@pytest.mark.django_db
def test_a_case_reference_of_another_customer_is_refused(caseworker):
    CaseReferenceFactory(reference="RFA0000001")
    with pytest.raises(ValidationError, match="already on another customer's record"):
        customer_create(actor=caseworker, family_name="Jones", case_references=["RFA0000001"])
    assert Customer.objects.count() == 1


@pytest.mark.django_db
def test_update_changes_only_what_is_given_and_audits_before_and_after(caseworker):
    customer = _full(caseworker)
    customer_update(actor=caseworker, customer=customer, preferred_name="Siobhán",
                    phones=["07700 900123", "020 7946 0000"], emails=[])
    customer.refresh_from_db()
    assert customer.preferred_name == "Siobhán"
    assert customer.given_name == "Siobhán"  # not given: unchanged
    assert sorted(customer.phones.values_list("number_normalised", flat=True)) == [
        "+442079460000", "+447700900123"]
    assert not customer.emails.exists()
    event = AuditEvent.objects.get(action="customer.updated")
    assert event.changes["preferred_name"] == ["Shiv", "Siobhán"]
    assert event.changes["emails"] == [["Siobhan@Example.com"], []]
    assert event.changes["phones"][1] == ["07700 900123", "020 7946 0000"]
    assert set(event.changes) == {"preferred_name", "phones", "emails"}


@pytest.mark.django_db
def test_an_update_that_changes_nothing_writes_no_audit(caseworker):
    customer = _full(caseworker)
    customer_update(actor=caseworker, customer=customer, family_name="O'Brien",
                    phones=["07700900123", "+353 1 234 5678"])
    assert not AuditEvent.objects.filter(action="customer.updated").exists()


@pytest.mark.django_db
def test_a_case_with_contacts_stays_on_the_record(caseworker):
    customer = CustomerFactory()
    case = CaseReferenceFactory(customer=customer, reference="RFA0000002")
    CaseReferenceFactory(customer=customer, reference="RFA0000003")
    ContactFactory(customer=customer, case_reference=case)
    with pytest.raises(ValidationError, match="RFA0000002 has contacts logged"):
        customer_update(actor=caseworker, customer=customer, case_references=[])
    customer_update(actor=caseworker, customer=customer, case_references=["RFA0000002"])
    assert list(CaseReference.objects.values_list("reference", flat=True)) == ["RFA0000002"]


@pytest.mark.django_db
def test_an_invalid_update_changes_nothing(caseworker):
    customer = CustomerFactory(family_name="Jones")
    CustomerPhoneFactory(customer=customer, number="07700 900123")
    with pytest.raises(ValidationError):
        customer_update(actor=caseworker, customer=customer, family_name="Smith",
                        phones=["07700 900123", "nonsense"])
    customer.refresh_from_db()
    assert customer.family_name == "Jones"
    assert customer.phones.count() == 1

"""Factories for customers, contacts and restrictions in each state (one per state)."""

from datetime import timedelta

import factory
from django.utils import timezone

from contacts.models import Contact, Customer
from restrictions.constants import DECIDED, Kind, Status, Term
from restrictions.models import Restriction
from tests.accounts.factories import UserFactory


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    address = "1 High Street\nAnytown"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    channel = "phone"
    started_at = factory.LazyFunction(timezone.now)
    staff = factory.SubFactory(UserFactory)


class RestrictionFactory(factory.django.DjangoModelFactory):
    """A restriction in ``status``; decided states get ``decided_by`` (pass it)."""

    class Meta:
        model = Restriction

    customer = factory.SubFactory(CustomerFactory)
    kind = Kind.RESTRICTION
    status = Status.SUBMITTED
    requested_by = factory.SubFactory(UserFactory)
    department = factory.LazyAttribute(lambda r: r.requested_by.department)
    grounds = "Repeated calls about a closed case."
    terms = factory.LazyFunction(lambda: [Term.WRITTEN_ONLY])
    start_date = factory.LazyFunction(timezone.localdate)
    review_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))
    submitted_at = factory.LazyFunction(timezone.now)
    decided_by = None
    decided_at = factory.LazyAttribute(
        lambda r: timezone.now() if r.status in DECIDED else None)


class ApprovedRestrictionFactory(RestrictionFactory):
    status = Status.APPROVED


class AdjustmentFactory(ApprovedRestrictionFactory):
    kind = Kind.ADJUSTMENT
    terms = factory.LazyFunction(list)
    need = "Hearing difficulty"
    adjustments = factory.LazyFunction(lambda: ["phone_contact", "email_not_phone"])

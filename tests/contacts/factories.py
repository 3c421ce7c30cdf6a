"""Factories for customers and contacts, one per state where it helps."""

import factory
from django.utils import timezone

from contacts.constants import Channel, Direction
from contacts.models import CaseReference, Contact, Customer, CustomerEmail, CustomerPhone
from tests.accounts.factories import UserFactory


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")


class CustomerEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerEmail

    customer = factory.SubFactory(CustomerFactory)
    email = factory.Sequence(lambda n: f"person{n}@example.com")


class CustomerPhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerPhone

    customer = factory.SubFactory(CustomerFactory)
    number = factory.Sequence(lambda n: f"07700 9{n:05d}")


class CaseReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseReference

    customer = factory.SubFactory(CustomerFactory)
    reference = factory.Sequence(lambda n: f"RFA{n:07d}")


class ContactFactory(factory.django.DjangoModelFactory):
    """A live phone contact."""

    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    channel = Channel.PHONE
    direction = Direction.INBOUND
    started_at = factory.LazyFunction(timezone.now)
    staff = factory.SubFactory(UserFactory)


class EndedContactFactory(ContactFactory):
    ended_at = factory.LazyAttribute(lambda c: c.started_at)


class EmailContactFactory(ContactFactory):
    channel = Channel.EMAIL

"""Factories for contacts (until the contacts app ships its own) and terminated-call logs,
one per state."""

from datetime import timedelta

import factory
from django.utils import timezone

from callogs.constants import LogStatus
from callogs.models import TerminatedCallLog
from contacts.constants import Behaviour, Channel
from contacts.models import CaseReference, Contact, Customer
from tests.accounts.factories import UserFactory


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    given_name = "Jo"
    family_name = factory.Sequence(lambda n: f"Caller{n}")


class CaseReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseReference

    reference = factory.Sequence(lambda n: f"RFA{n:07d}")
    customer = factory.SubFactory(CustomerFactory)


class LiveContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    channel = Channel.PHONE
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=10))
    staff = factory.SubFactory(UserFactory)


class TerminatedContactFactory(LiveContactFactory):
    """A call the staff member ended for the customer's behaviour (7.5.1, 8.1)."""

    ended_at = factory.LazyAttribute(lambda c: c.started_at + timedelta(minutes=5))
    case_reference = factory.SubFactory(CaseReferenceFactory,
                                        customer=factory.SelfAttribute("..customer"))
    behaviour = Behaviour.ABUSIVE
    terminated = True
    termination_reason = "Threatened me after a warning; I ended the call."


class DraftLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TerminatedCallLog

    contact = factory.SubFactory(TerminatedContactFactory)
    author = factory.SelfAttribute("contact.staff")
    caller_name = "Jo Caller"
    case_reference = factory.LazyAttribute(
        lambda log: log.contact.case_reference.reference if log.contact.case_reference else "")
    call_at = factory.SelfAttribute("contact.started_at")
    reason = factory.SelfAttribute("contact.termination_reason")
    staff_name = factory.LazyAttribute(lambda log: log.author.get_full_name())


class SubmittedLogFactory(DraftLogFactory):
    status = LogStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)

"""Factories for at-risk reports, one per state, and the customer records they point at."""

from datetime import timedelta

import factory
from django.utils import timezone

from atrisk.constants import (
    Consent,
    EmergencyAdvice,
    RecipientType,
    ReportStatus,
    Source,
    ThreatType,
)
from atrisk.models import AtRiskReport, DutyRota, VitalInterestsDisclosure
from contacts.constants import Channel
from contacts.models import CaseReference, Contact, Customer
from tests.accounts.factories import UserFactory


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")


class CaseReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseReference

    reference = factory.Sequence(lambda n: f"RFA{n:07d}")
    customer = factory.SubFactory(CustomerFactory)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    channel = Channel.PHONE
    started_at = factory.LazyFunction(timezone.now)
    staff = factory.SubFactory(UserFactory)


class DutyRotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DutyRota

    senior = factory.SubFactory(UserFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=8))


class AtRiskReportFactory(factory.django.DjangoModelFactory):
    """A report waiting for a senior (no alerts scheduled: use the service for those)."""

    class Meta:
        model = AtRiskReport

    raised_by = factory.SubFactory(UserFactory)
    source = Source.TELEPHONE
    threat_type = ThreatType.SELF_HARM
    what_was_said = "They said they would hurt themselves tonight."
    threat_made_at = factory.LazyFunction(timezone.now)
    emergency_advice = EmergencyAdvice.ADVISED
    customer = factory.SubFactory(CustomerFactory)


class AcknowledgedReportFactory(AtRiskReportFactory):
    status = ReportStatus.ACKNOWLEDGED
    acknowledged_by = factory.SubFactory(UserFactory)
    acknowledged_at = factory.LazyFunction(timezone.now)


class DisclosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VitalInterestsDisclosure

    report = factory.SubFactory(AcknowledgedReportFactory)
    necessity = "A plan and a time were given: a risk to life."
    less_intrusive_options = "Asked them to call 999; they refused."
    consent = Consent.REFUSED
    consent_explanation = "They refused and delay risked their life."
    recipient_type = RecipientType.POLICE
    recipient_authority = "Metropolitan Police control room"
    what_was_disclosed = "Name, phone number, location given."
    disclosed_at = factory.LazyFunction(timezone.now)
    authorised_by = factory.LazyAttribute(lambda d: d.report.acknowledged_by)
    recorded_by = factory.LazyAttribute(lambda d: d.report.acknowledged_by)

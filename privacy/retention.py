"""Retention: what has passed its period, reported first (dry run), then anonymised.

Periods per record type are settings (``PRIVACY_RETENTION_DAYS``, documented in
``docs/DATA_PROTECTION.md``). Nothing tied to an open case or an active restriction is
touched. Anonymising blanks the personal content and keeps the skeleton (dates, classes,
who handled it) so figures and the audit trail still add up.
"""

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from contacts.models import BehaviourChange, CaseReference, Contact, Customer

ANONYMISED = "Anonymised"


@dataclass(frozen=True)
class Rule:
    """One record type's retention: the queryset of expired, not-held, not-yet-done rows."""

    label: str
    description: str


def _cutoff(now: dt.datetime, label: str) -> dt.datetime:
    return now - dt.timedelta(days=settings.PRIVACY_RETENTION_DAYS[label])


# Other apps add conditions (on Customer) that put a customer on hold, e.g. an active
# restriction: ``HOLDS.append(lambda: Exists(...OuterRef("pk")...))``.
HOLDS: list = []


def _held_customers() -> Q:
    """Customers with an open case, or held by any registered condition."""
    held = Q(Exists(CaseReference.objects.filter(customer=OuterRef("pk"), is_open=True)))
    for condition in HOLDS:
        held |= Q(condition())
    return held


def expired_customers(now: dt.datetime) -> models.QuerySet:
    cutoff = _cutoff(now, "contacts.Customer")
    recent_contact = Contact.objects.filter(customer=OuterRef("pk"), started_at__gte=cutoff)
    return (Customer.objects.filter(created_at__lt=cutoff)
            .exclude(Exists(recent_contact)).exclude(_held_customers())
            .exclude(family_name=ANONYMISED))


def expired_contacts(now: dt.datetime) -> models.QuerySet:
    cutoff = _cutoff(now, "contacts.Contact")
    held_customer_ids = Customer.objects.filter(_held_customers()).values("pk")
    return (Contact.objects.filter(started_at__lt=cutoff)
            .exclude(customer__in=held_customer_ids)
            .exclude(case_reference__is_open=True)
            .exclude(summary="", caller_name="", termination_reason=""))


def report(now: dt.datetime) -> dict[str, int]:
    """The dry run: how many records of each type would be anonymised now."""
    return {
        "contacts.Customer": expired_customers(now).count(),
        "contacts.Contact": expired_contacts(now).count(),
    }


def apply(now: dt.datetime) -> dict[str, int]:
    """Anonymise what ``report(now)`` counts. Call inside a transaction."""
    customers = expired_customers(now)
    customer_ids = list(customers.values_list("pk", flat=True))
    apps.get_model("contacts", "CustomerEmail").objects.filter(
        customer_id__in=customer_ids).delete()
    apps.get_model("contacts", "CustomerPhone").objects.filter(
        customer_id__in=customer_ids).delete()
    done_customers = Customer.objects.filter(pk__in=customer_ids).update(
        given_name="", family_name=ANONYMISED, address="", communication_needs="")
    contact_ids = list(expired_contacts(now).values_list("pk", flat=True))
    BehaviourChange.objects.filter(contact_id__in=contact_ids).update(equality_note="")
    done_contacts = Contact.objects.filter(pk__in=contact_ids).update(
        summary="", caller_name="", termination_reason="")
    return {"contacts.Customer": done_customers, "contacts.Contact": done_contacts}

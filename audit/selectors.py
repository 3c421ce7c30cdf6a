"""Reads of the audit trail for Compliance's search and a customer's record history."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.models import AuditEvent


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def search_events(*, actor: str = "", action: str = "", date_from=None, date_to=None,
                  record_type: str = "", record_id: str = "") -> QuerySet[AuditEvent]:
    """Events matching already-validated filters (never a raw GET value as a lookup)."""
    events = AuditEvent.objects.select_related("actor", "target_type")
    if actor:
        events = events.filter(actor__username=actor)
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(occurred_at__gte=_day_start(date_from))
    if date_to:
        events = events.filter(occurred_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    if record_type:
        app_label, model = record_type.split(".", 1)
        events = events.filter(target_type__app_label=app_label, target_type__model=model)
    if record_id:
        events = events.filter(target_id=record_id)
    return events


def customer_history(customer) -> QuerySet[AuditEvent]:
    """Events whose target is the customer, a record merged into them (issue 16: audit rows
    are never re-pointed) or one of their contacts, newest first."""
    from contacts.models import Contact, Customer

    contact_ids = [str(pk) for pk in Contact.objects.filter(customer=customer)
                   .values_list("pk", flat=True)]
    merged_ids = [str(pk) for pk in Customer.objects.filter(merged_into=customer)
                  .values_list("pk", flat=True)]
    customer_type = ContentType.objects.get_for_model(Customer)
    contact_type = ContentType.objects.get_for_model(Contact)
    return (AuditEvent.objects.select_related("actor", "target_type")
            .filter(Q(target_type=customer_type,
                      target_id__in=[str(customer.pk), *merged_ids])
                    | Q(target_type=contact_type, target_id__in=contact_ids)))

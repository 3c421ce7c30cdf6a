"""Reads for the API: the screen-pop lookup with what is in force for each customer (12.3),
the calls waiting to pop in an agent's browser, and the case-file exports (8.1, 11.2)."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from api.models import CallEvent
from contacts.constants import Channel
from contacts.selectors import LookupResult, customer_lookup
from restrictions.constants import Kind
from restrictions.models import Restriction
from restrictions.selectors import allowed_channels, banner, channel_warning, in_force

POP_WINDOW_MINUTES = 15


@dataclass
class CallerRecord:
    """One matching customer as a telephone system or intranet page needs them."""

    customer: object
    restricted: bool = False
    adjustment: bool = False
    banners: list[dict] = field(default_factory=list)
    channels_allowed: list[str] = field(default_factory=list)
    phone_warning: str | None = None
    deep_link: str = ""


def site_url(path: str) -> str:
    return settings.NOTIFICATIONS_SITE_URL + path


def callers(query: str, *, kind: str) -> tuple[LookupResult, list[CallerRecord]]:
    """The lookup page's own selector (``contacts.selectors.customer_lookup``), then what is
    in force for the page of customers in one more query (not one per customer)."""
    result = customer_lookup(query)
    if result.kind != kind:  # e.g. a "phone" that is not a phone number: no match
        return LookupResult(query=result.query, kind=kind), []
    ids = [c.pk for c in result.customers]
    records: dict[int, list[Restriction]] = {pk: [] for pk in ids}
    if ids:
        for r in (Restriction.objects.filter(in_force(), customer_id__in=ids)
                  .select_related("point_of_contact").order_by("kind", "start_date", "id")):
            records[r.customer_id].append(r)
    link = reverse("contacts:customer_detail", args=[0])[:-2]
    out = []
    for customer in result.customers:
        mine = records[customer.pk]
        allowed = set(Channel.values)
        for record in mine:
            if record.kind == Kind.RESTRICTION and (terms := allowed_channels(record)):
                allowed &= terms
        out.append(CallerRecord(
            customer=customer,
            restricted=any(r.kind == Kind.RESTRICTION for r in mine),
            adjustment=any(r.kind == Kind.ADJUSTMENT for r in mine),
            banners=[banner(r, mine) for r in mine],
            channels_allowed=[c for c in Channel.values if c in allowed],
            phone_warning=channel_warning(customer, Channel.PHONE, mine),
            deep_link=site_url(f"{link}{customer.pk}/"),
        ))
    return result, out


def calls_to_pop(user) -> list[CallEvent]:
    """Calls put through to ``user`` in the last few minutes that their browser has not
    yet opened (the screen-pop poll)."""
    from contacts.services import channel_warnings

    since = timezone.now() - timedelta(minutes=POP_WINDOW_MINUTES)
    calls = list(CallEvent.objects.filter(agent=user, popped_at__isnull=True,
                                          contact__isnull=False, started_at__gte=since)
                 .select_related("contact__customer").order_by("-started_at")[:3])
    for call in calls:  # 12.3: what a restriction says about a telephone call, at once
        call.warnings = channel_warnings(customer=call.contact.customer, channel=Channel.PHONE)
    return calls

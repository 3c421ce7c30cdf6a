"""What this app adds to other apps' screens through ``core.extensions`` (12.3, 6.1)."""

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse

from core.extensions import Action, Panel
from restrictions import selectors
from restrictions.constants import Kind
from restrictions.models import Restriction

BANNER_TEMPLATE = "restrictions/_banners.html"
# A fact set on a customer by the screens that load it (core.extensions): whether any
# restriction or adjustment is in force today. Most customers have none.
IN_FORCE_FACT = "restrictions_in_force"


def customer_facts(ref: str) -> dict:
    """EXISTS a record in force, computed in the query that loads the customer."""
    return {IN_FORCE_FACT: Exists(Restriction.objects.filter(selectors.in_force(),
                                                             customer=OuterRef(ref)))}


def _in_force(customer) -> list:
    """The records in force: none without a query when the fact says so; read once for a
    customer loaded with the fact (a screen's read), so its banners and checks share them."""
    fact = getattr(customer, IN_FORCE_FACT, None)
    if fact is None:
        return selectors.active_for_customer(customer)
    if not fact:
        return []
    if not hasattr(customer, "_restrictions_in_force"):
        customer._restrictions_in_force = selectors.active_for_customer(customer)
    return customer._restrictions_in_force


def customer_banners(request, customer) -> list[Panel]:
    """The customer page: a banner per restriction or adjustment in force."""
    records = _in_force(customer)
    if not records:
        return []
    banners = [selectors.banner(r, records) for r in records]
    return [Panel(BANNER_TEMPLATE, {"banners": banners, "customer": customer,
                                    "id_prefix": "restriction-banner"})]


def contact_banners(request, contact) -> list[Panel]:
    """The contact screen: the banners plus a warning if the channel is not allowed."""
    customer = getattr(contact, "customer", None)
    if customer is None:
        return []
    records = _in_force(customer)
    if not records:
        return []
    banners = [selectors.banner(r, records) for r in records]
    warning = selectors.channel_warning(customer, contact.channel, records=records)
    return [Panel(BANNER_TEMPLATE, {"banners": banners, "customer": customer,
                                    "warning": warning, "id_prefix": "contact-restriction"})]


def lookup_badge_rows(today) -> QuerySet:
    return selectors.badge_rows(today)


def adjustment_check(customer) -> bool:
    if getattr(customer, IN_FORCE_FACT, None) is None:
        return selectors.has_agreed_adjustment(customer)
    return any(r.kind == Kind.ADJUSTMENT for r in _in_force(customer))


def customer_actions(request, customer) -> list[Action]:
    """7.2, 12.2: line managers ask for a restriction or an adjustment."""
    # On the customer: see audit.panels.history_actions.
    if not request.user.has_perm("restrictions.request_for_customer", customer):
        return []
    url = reverse("restrictions:create", args=[customer.pk])
    return [
        Action("Request a restriction", f"{url}?kind=restriction"),
        Action("Request a reasonable adjustment", f"{url}?kind=adjustment"),
    ]


def retention_hold():
    """A condition on Customer: a restriction or adjustment is in force (privacy.retention)."""
    from django.db.models import Exists, OuterRef

    from restrictions.models import Restriction
    from restrictions.selectors import in_force

    return Exists(Restriction.objects.filter(in_force(), customer=OuterRef("pk")))

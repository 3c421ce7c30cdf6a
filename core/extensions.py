"""Extension points: apps add to the customer page, contact screen and lookup results
without editing each other's templates.

An app registers providers in its ``AppConfig.ready``::

    from core import extensions
    extensions.customer_banners.append(restriction_banners)

Providers must not query per row. Lookup badges are rows, not a query per page: a
``lookup_badge_rows`` provider answers with a QuerySet of ``(customer_id, badge, rank)`` for
every customer with a badge on a day, and ``badges_for`` filters it to a page's ids (one
query per provider), while the PostgreSQL name search reads the same rows inside its own
statement (``badge_rows_sql``): one definition of who has a badge, two readers.

Facts: a provider that usually has nothing to show (most customers have no restriction in
force and no challenge on file) registers a *fact*, an expression such as ``Exists(...)``
that the screen computes inside the query that loads the customer. The provider then reads
the fact from the customer and needs no query of its own when there is nothing to show::

    extensions.customer_page_facts.append(
        lambda ref: {"has_record_challenges": Exists(
            RecordChallenge.objects.filter(customer=OuterRef(ref)))})

``ref`` names the customer's id in the loading query (``"pk"`` when loading customers,
``"customer_id"`` when loading a contact). A provider must still work without its fact (a
customer loaded elsewhere, e.g. in a test): ``getattr(customer, name, None)`` is None then.
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone


@dataclass(frozen=True)
class Panel:
    """A block rendered from ``template`` with ``context`` (banner, warning, side panel)."""

    template: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Action:
    """A link or button offered on a screen, e.g. "Raise an at-risk report" (11.2)."""

    label: str
    url: str
    method: str = "get"  # "post" renders a small form with a CSRF token


# (request, customer) -> panels shown at the top of the customer page (12.3).
customer_banners: list[Callable[..., Iterable[Panel]]] = []
# (request, customer) -> sections shown below the customer's details (e.g. their documents).
customer_sections: list[Callable[..., Iterable[Panel]]] = []
# (request, contact) -> panels shown at the top of the contact screen (12.3).
contact_banners: list[Callable[..., Iterable[Panel]]] = []
# (request, contact) -> actions offered on the contact screen (2.2, 8.1, 11.2, 14.2).
contact_actions: list[Callable[..., Iterable[Action]]] = []
# (request, customer) -> actions offered on the customer page (7.2, 12).
customer_actions: list[Callable[..., Iterable[Action]]] = []
# (today) -> QuerySet.values_list("customer_id", "badge", "rank"): every customer's lookup
# badges on ``today`` (see the module docstring), shown in rank order.
lookup_badge_rows: list[Callable[[date], QuerySet]] = []

# (ref) -> {attribute: expression}: facts computed with the customer (see the module docstring)
# on the customer page, and on the contact screen (set on ``contact.customer``).
customer_page_facts: list[Callable[[str], dict[str, Any]]] = []
contact_screen_facts: list[Callable[[str], dict[str, Any]]] = []

# (customer) -> True if an agreed reasonable adjustment exists (feeds the 6.1 equality prompt).
adjustment_checks: list[Callable[..., bool]] = []
# (contact, actor) -> None, called inside the transaction that ends a contact (8.1, 8.2, 14.2).
contact_ended: list[Callable[..., None]] = []
# (contact) -> the URL of the terminated contact's log to complete, or None (8.1; issue 24:
# live-call mode goes straight there once the call is ended).
terminated_log_urls: list[Callable[..., str | None]] = []
# (contact, actor) -> None, called inside the transaction that logs a contact (12.3 triage).
contact_logged: list[Callable[..., None]] = []
# (customer, channel) -> warning text or None, shown before a contact is started (12.3).
channel_warnings: list[Callable[..., str | None]] = []
# (contact) -> why its channel may not be corrected, or None (issue 17: a call the telephone
# system opened stays a telephone call).
channel_correction_refusals: list[Callable[..., str | None]] = []
# (contact, actor, changes) -> None, called inside the transaction that corrects a contact;
# ``changes`` maps each changed field to [before, after] (e.g. a log's copy of the case
# reference follows the contact's).
contact_corrected: list[Callable[..., None]] = []


def collect(providers: list[Callable[..., Iterable]], *args) -> list:
    """Call every provider with ``args`` and flatten what they return."""
    result: list = []
    for provider in providers:
        result.extend(provider(*args))
    return result


def facts(providers: list[Callable[[str], dict[str, Any]]], ref: str) -> dict[str, Any]:
    """The annotations all ``providers`` ask for, to pass to ``QuerySet.annotate``."""
    merged: dict[str, Any] = {}
    for provider in providers:
        merged.update(provider(ref))
    return merged


def badges_for(customer_ids: list[int]) -> dict[int, list[str]]:
    """All badges for a page of lookup results: one query per provider."""
    ranked: dict[int, set[tuple[int, str]]] = {pk: set() for pk in customer_ids}
    today = timezone.localdate()
    for provider in lookup_badge_rows:
        for pk, badge, rank in provider(today).filter(customer_id__in=customer_ids).order_by():
            ranked.setdefault(pk, set()).add((rank, badge))
    # In rank order across providers, as the lookup's statement orders them.
    return {pk: [badge for _, badge in sorted(badges)] for pk, badges in ranked.items()}


def badge_rows_sql(today: date) -> tuple[str, tuple]:
    """Every provider's badge rows on ``today`` as one SQL ``SELECT customer_id, badge,
    rank`` with its parameters, for a statement that reads them per customer (the lookup's
    statements on PostgreSQL, issue 16). Compiled once a day in each process: building the
    ORM query cost more than running it."""
    return _compiled_badge_rows(connection.vendor, today, tuple(lookup_badge_rows))


@functools.lru_cache(maxsize=4)
def _compiled_badge_rows(vendor: str, today: date, providers: tuple) -> tuple[str, tuple]:
    parts = [provider(today).order_by().query.sql_with_params() for provider in providers]
    if not parts:
        return "SELECT NULL, NULL, NULL WHERE FALSE", ()
    sql = " UNION ALL ".join(f"({part})" for part, _ in parts)
    return sql, tuple(param for _, params in parts for param in params)


# (event, target) -> None: domain events for other systems (the api app's signed webhooks).
# Called by a service inside its transaction, once per change; a listener writes only rows of
# its own (an outbox) in that same transaction and defers anything else to on_commit.
event_listeners: list[Callable[[str, Any], None]] = []


def publish(event: str, target: Any) -> None:
    """Tell every listener that ``event`` (e.g. ``"restriction.approve"``) happened to
    ``target``. Listeners get ids and kinds from ``target``, never free text."""
    for listener in event_listeners:
        listener(event, target)


# (actor, purpose) -> True when ``actor`` is a system (not a member of staff) allowed to do
# ``purpose`` (e.g. "customers": the api app's case-management clients with the "cases"
# scope). Services that check "who may act" consult it with ``system_actor_may``.
system_actor_checks: list[Callable[[Any, str], bool]] = []


def system_actor_may(actor: Any, purpose: str) -> bool:
    return any(check(actor, purpose) for check in system_actor_checks)

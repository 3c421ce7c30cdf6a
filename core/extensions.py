"""Extension points: apps add to the customer page, contact screen and lookup results
without editing each other's templates.

An app registers providers in its ``AppConfig.ready``::

    from core import extensions
    extensions.customer_banners.append(restriction_banners)

Providers must not query per row: ``lookup_badges`` receives all customer ids of a result
page at once and answers with one query.

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

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


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
# (customer_ids) -> {customer_id: [badge text, ...]} for lookup results, one query per provider.
lookup_badges: list[Callable[[list[int]], dict[int, list[str]]]] = []

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
    """All badges for a page of lookup results."""
    merged: dict[int, list[str]] = {pk: [] for pk in customer_ids}
    for provider in lookup_badges:
        for pk, badges in provider(customer_ids).items():
            merged.setdefault(pk, []).extend(badges)
    return merged


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

"""The catalogue of clocks and alerts. Each app registers its own kinds in ``AppConfig.ready``.

A kind says what the reminder is called, which paragraph it serves, and how it escalates:
``escalate_after`` past ``due_at`` with the item still not completed, it goes to
``escalate_to(item)``.

``completed_by`` names the permission the service that completes the item checks (on the
item's target): the recipient of the item, and of its escalation, must hold it (issue 17,
tested for every kind in ``tests/notifications/test_recipients_can_act.py``). By default an
item escalates to the first available manager up the recipient's chain who holds it; a kind
whose completer is not found up the chain (a Head of Department's decision) brings its own
``escalate_to``. A kind with no ``completed_by`` is a notice: nothing to complete.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accounts.models import User
    from notifications.models import DueItem


def _next_manager_up(item: "DueItem") -> "User | None":
    """The first available manager above the recipient who may complete the item (or, for a
    kind that names no permission, the first available manager)."""
    from accounts.selectors import first_available_manager, first_available_who_may

    permission = get_or_fallback(item.kind).completed_by
    if not permission:
        return first_available_manager(item.recipient)
    return first_available_who_may(item.recipient, permission, item.target)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    paragraph: str = ""
    escalate_after: timedelta | None = None
    escalate_to: Callable[["DueItem"], "User | None"] = field(default=_next_manager_up)
    completed_by: str = ""


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind to the catalogue (idempotent for the same definition)."""
    existing = _KINDS.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"notification kind {kind.name!r} registered twice differently")
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> Kind:
    """The registered kind called ``name``."""
    return _KINDS[name]


def get_or_fallback(name: str) -> Kind:
    """The kind called ``name``, or a plain reminder that never escalates if it is unknown.

    The sweep uses this so an item whose kind was renamed or removed is still delivered
    rather than blocking the queue.
    """
    return _KINDS.get(name) or Kind(name=name, label="Reminder")


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: k.name)

"""The catalogue of clocks and alerts. Each app registers its own kinds in ``AppConfig.ready``.

A kind says what the reminder is called, which paragraph it serves, and how it escalates:
``escalate_after`` past ``due_at`` with the item still not completed, it goes to
``escalate_to(item)`` (by default the recipient's first available manager up the chain).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accounts.models import User
    from notifications.models import DueItem


def _next_manager_up(item: "DueItem") -> "User | None":
    from accounts.selectors import first_available_manager

    return first_available_manager(item.recipient)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    paragraph: str = ""
    escalate_after: timedelta | None = None
    escalate_to: Callable[["DueItem"], "User | None"] = field(default=_next_manager_up)


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

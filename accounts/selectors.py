"""Reads about staff: the line-manager chain and who to route things to."""

from collections.abc import Iterator

from accounts.constants import MAX_CHAIN_DEPTH
from accounts.models import User


def manager_chain(staff: User) -> Iterator[User]:
    """Yield the staff member's line manager, then theirs, and so on up the chain."""
    seen = {staff.pk}
    manager = staff.line_manager
    for _ in range(MAX_CHAIN_DEPTH):
        if manager is None or manager.pk in seen:
            return
        yield manager
        seen.add(manager.pk)
        manager = manager.line_manager


def first_available_manager(staff: User) -> User | None:
    """The nearest manager up the chain who is active and not marked away (2.2)."""
    for manager in manager_chain(staff):
        if manager.is_active and not manager.is_away:
            return manager
    return None

"""Navigation by role: each app registers its entries with the predicate that shows them."""

from dataclasses import dataclass

import rules


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    predicate: rules.Predicate
    order: int = 50


_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    """Add an entry to the service navigation (called from an app's ``ready``)."""
    if item not in _ITEMS:
        _ITEMS.append(item)
        _ITEMS.sort(key=lambda i: i.order)


def items_for(user) -> list[NavItem]:
    """The entries this user may see, in order."""
    return [item for item in _ITEMS if item.predicate.test(user)]

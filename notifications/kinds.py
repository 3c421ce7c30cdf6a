"""The catalogue of clocks and alerts. Each app registers its own kinds in ``AppConfig.ready``.

A kind says what the reminder is called, which paragraph it serves, and how it escalates:
``escalate_after`` past ``due_at`` with the item still not completed, it goes to
``escalate_to(item)``. ``escalate_after`` is a ``timedelta`` (a clock: an hour, 15 minutes)
or ``WorkingDays(n)``: n working days after the due day at the same time of day, skipping
weekends and bank holidays (``core.dates``), for a delay that is a working-day delay (issue
17: "5 days" to review a log given on a Friday is not up on Wednesday).

``completed_by`` names the permission the service that completes the item checks (on the
item's target): the recipient of the item, and of its escalation, must hold it (issue 17,
tested for every kind in ``tests/notifications/test_recipients_can_act.py``). By default an
item escalates to the first available manager up the recipient's chain who holds it; a kind
whose completer is not found up the chain (a Head of Department's decision) brings its own
``escalate_to``. A kind with no ``completed_by`` is a notice: nothing to complete.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
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
class WorkingDays:
    """An escalation delay of ``days`` working days (``core.dates``, bank holidays included)."""

    days: int

    def after(self, due_at: datetime) -> datetime:
        """When an item due at ``due_at`` escalates: the same local time of day, ``days``
        working days after its due day (a Friday 10:00 item with 1 escalates Monday 10:00,
        or Tuesday 10:00 when Monday is a bank holiday)."""
        from django.utils import timezone

        from core import dates

        local = timezone.localtime(due_at)
        day = dates.add_working_days(local.date(), self.days)
        return timezone.make_aware(datetime.combine(day, local.time().replace(tzinfo=None)))

    def overdue_q(self, name: str, now: datetime):
        """The items of kind ``name`` whose escalation time is ``now`` or before, as a query.

        ``after`` only moves forward with the due day, so every item due on a day whose
        escalation day is before today is overdue; an item due on a day whose escalation
        day is today is overdue once its time of day has come.
        """
        from django.db.models import Q
        from django.utils import timezone

        from core import dates

        local_now = timezone.localtime(now)
        today, at = local_now.date(), local_now.time().replace(tzinfo=None)

        def start(day):
            return timezone.make_aware(datetime.combine(day, datetime.min.time()))

        condition, day = Q(pk__in=[]), today
        while True:  # walk back from today to the last due day escalating before today
            day -= timedelta(days=1)
            escalates_on = dates.add_working_days(day, self.days)
            if escalates_on < today:
                return Q(kind=name) & (condition | Q(due_at__lt=start(day + timedelta(days=1))))
            if escalates_on == today:
                condition |= Q(due_at__gte=start(day),
                               due_at__lte=timezone.make_aware(datetime.combine(day, at)))


def escalates_at(kind: "Kind", due_at: datetime) -> datetime | None:
    """When an item of ``kind`` due at ``due_at`` escalates (``None``: it never does)."""
    delay = kind.escalate_after
    if delay is None:
        return None
    return delay.after(due_at) if isinstance(delay, WorkingDays) else due_at + delay


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    paragraph: str = ""
    escalate_after: "timedelta | WorkingDays | None" = None
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

"""Reads about staff: the line-manager chain and who to route things to."""

from collections.abc import Iterator
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.constants import MAX_CHAIN_DEPTH, Role
from accounts.models import ActingHeadOfDepartment, Department, User


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


def first_available_who_may(staff: User, perm: str, obj, *,
                            exclude: tuple[int, ...] = ()) -> User | None:
    """The nearest manager up ``staff``'s chain who is active, not marked away and holds
    ``perm`` on ``obj``: who a reminder or an escalation goes to so that they can act on it
    (issue 17). ``exclude``: people (ids) it must not go to, such as the one it escalates
    from."""
    for manager in manager_chain(staff):
        if (manager.is_active and not manager.is_away and manager.pk not in exclude
                and manager.has_perm(perm, obj)):
            return manager
    return None


def acting_in_force(on: date | None = None) -> QuerySet[ActingHeadOfDepartment]:
    """Acting Head of Department appointments in force on ``on`` (default today)."""
    on = on or timezone.localdate()
    return ActingHeadOfDepartment.objects.filter(
        Q(ended_early_on__isnull=True) | Q(ended_early_on__gt=on),
        starts_on__lte=on, ends_on__gte=on, acting_head__is_active=True)


def is_head_in_role(user, department: Department | None) -> bool:
    """The department's recorded Head, holding the Head of Department role (7.2, 12.1)."""
    return (department is not None and department.head_id is not None
            and department.head_id == getattr(user, "pk", None)
            and user.has_role(Role.HEAD_OF_DEPARTMENT))


def acting_head_appointment(user, department: Department | None,
                            on: date | None = None) -> ActingHeadOfDepartment | None:
    """``user``'s appointment as acting Head of ``department`` in force on ``on``."""
    if department is None or getattr(user, "pk", None) is None:
        return None
    return acting_in_force(on).filter(department=department, acting_head=user).first()


def heads_of(department: Department, on: date | None = None) -> list[tuple[User, bool]]:
    """Who may decide for ``department`` on ``on``: ``[(person, is_acting)]``, Head first."""
    people: list[tuple[User, bool]] = []
    head = department.head
    if head is not None and head.is_active and head.has_role(Role.HEAD_OF_DEPARTMENT):
        people.append((head, False))
    for appointment in acting_in_force(on).filter(department=department).select_related(
            "acting_head").order_by("starts_on", "id"):
        if all(p.pk != appointment.acting_head_id for p, _ in people):
            people.append((appointment.acting_head, True))
    return people


def departments_headed_by(user, on: date | None = None) -> QuerySet[Department]:
    """The departments ``user`` heads (in the role) or is acting Head of on ``on``."""
    acting = acting_in_force(on).filter(acting_head=user).values("department_id")
    own = Department.objects.filter(head=user, head__is_active=True,
                                    head__groups__name=Role.HEAD_OF_DEPARTMENT).values("pk")
    return Department.objects.filter(Q(pk__in=own) | Q(pk__in=acting))

"""Roles exist after migrate; the permission predicates hold for each relationship."""

from types import SimpleNamespace

import pytest

from accounts import rules as predicates
from accounts.constants import Role
from accounts.selectors import first_available_manager, manager_chain
from tests.accounts.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_every_role_group_exists_after_migrate(groups_after_migrate):
    # Read before any test ran: a transactional test's flush empties the groups table.
    assert groups_after_migrate >= set(Role.values)


@pytest.fixture
def chain(make_user):
    """head -> senior -> manager -> caseworker, all in one department; an outsider elsewhere."""
    department = DepartmentFactory(name="Customer Contact")
    c = SimpleNamespace()
    c.head = make_user(Role.HEAD_OF_DEPARTMENT, department=department)
    department.head = c.head
    department.save()
    c.senior = make_user(Role.SENIOR_STAFF, department=department, line_manager=c.head)
    c.manager = make_user(Role.LINE_MANAGER, department=department, line_manager=c.senior)
    c.caseworker = make_user(Role.CASEWORKER, department=department, line_manager=c.manager)
    c.outsider = make_user(Role.LINE_MANAGER, department=DepartmentFactory(name="Elsewhere"))
    return c


def test_line_manager_of_is_direct_only(chain):
    c = chain
    assert predicates.is_line_manager_of(c.manager, c.caseworker)
    assert not predicates.is_line_manager_of(c.senior, c.caseworker)
    assert not predicates.is_line_manager_of(c.outsider, c.caseworker)
    assert not predicates.is_line_manager_of(c.caseworker, c.manager)


def test_chain_above_includes_every_manager_up_and_nobody_else(chain):
    c = chain
    for above in (c.manager, c.senior, c.head):
        assert predicates.is_in_chain_above(above, c.caseworker)
    assert not predicates.is_in_chain_above(c.outsider, c.caseworker)
    assert not predicates.is_in_chain_above(c.caseworker, c.manager)
    assert not predicates.is_in_chain_above(c.caseworker, c.caseworker)


def test_head_of_department_of_covers_head_and_acting_head_of_that_department_only(chain,
                                                                                  make_user):
    """7.2, 12.1: the Head in the role, or an acting Head while the appointment runs."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import ActingHeadOfDepartment

    c = chain
    assert predicates.is_head_of_department_of(c.head, c.caseworker)
    assert not predicates.is_head_of_department_of(c.outsider, c.caseworker)
    deputy = make_user(Role.SENIOR_STAFF)
    assert not predicates.is_head_of_department_of(deputy, c.caseworker)
    today = timezone.localdate()
    appointment = ActingHeadOfDepartment.objects.create(
        department=c.caseworker.department, acting_head=deputy, appointed_by=c.head,
        starts_on=today, ends_on=today + timedelta(days=2), reason="Leave")
    assert predicates.is_head_of_department_of(deputy, c.caseworker)
    appointment.ended_early_on = today
    appointment.save()
    assert not predicates.is_head_of_department_of(deputy, c.caseworker)
    c.head.groups.clear()
    c.head._role_names = None
    assert not predicates.is_head_of_department_of(c.head, c.caseworker)


def test_role_predicates_follow_groups_and_refuse_inactive_users(chain):
    c = chain
    assert predicates.is_caseworker(c.caseworker)
    assert not predicates.is_caseworker(c.manager)
    assert predicates.is_manager(c.senior)
    c.caseworker.is_active = False
    assert not predicates.is_caseworker(c.caseworker)


def test_chain_stops_at_a_loop(chain):
    c = chain
    c.head.line_manager = c.caseworker  # bad data: a loop
    c.head.save()
    assert [m.pk for m in manager_chain(c.caseworker)] == [c.manager.pk, c.senior.pk, c.head.pk]


def test_first_available_manager_skips_managers_marked_away(chain):
    c = chain
    assert first_available_manager(c.caseworker) == c.manager
    c.manager.is_away = True
    c.manager.save()
    assert first_available_manager(c.caseworker) == c.senior


def test_staff_record_permission_both_ways(chain):
    c = chain
    assert c.manager.has_perm("accounts.view_staff_member", c.caseworker)
    assert c.caseworker.has_perm("accounts.view_staff_member", c.caseworker)
    assert not c.outsider.has_perm("accounts.view_staff_member", c.caseworker)
    assert not c.caseworker.has_perm("accounts.view_staff_member", c.manager)

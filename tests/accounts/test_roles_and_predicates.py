"""Roles exist after migrate; the permission predicates hold for each relationship."""

import pytest
from django.contrib.auth.models import Group

from accounts import rules as predicates
from accounts.constants import Role
from accounts.selectors import first_available_manager, manager_chain
from tests.accounts.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_every_role_group_exists_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


@pytest.fixture
def chain(make_user):
    """head -> senior -> manager -> caseworker, all in one department; an outsider elsewhere."""
    department = DepartmentFactory(name="Customer Contact")
    head = make_user(Role.HEAD_OF_DEPARTMENT, department=department)
    department.head = head
    department.save()
    senior = make_user(Role.SENIOR_STAFF, department=department, line_manager=head)
    manager = make_user(Role.LINE_MANAGER, department=department, line_manager=senior)
    caseworker = make_user(Role.CASEWORKER, department=department, line_manager=manager)
    other_department = DepartmentFactory(name="Elsewhere")
    outsider = make_user(Role.LINE_MANAGER, department=other_department)
    return head, senior, manager, caseworker, outsider


def test_line_manager_of_is_direct_only(chain):
    head, senior, manager, caseworker, outsider = chain
    assert predicates.is_line_manager_of(manager, caseworker)
    assert not predicates.is_line_manager_of(senior, caseworker)
    assert not predicates.is_line_manager_of(outsider, caseworker)
    assert not predicates.is_line_manager_of(caseworker, manager)


def test_chain_above_includes_every_manager_up_and_nobody_else(chain):
    head, senior, manager, caseworker, outsider = chain
    for above in (manager, senior, head):
        assert predicates.is_in_chain_above(above, caseworker)
    assert not predicates.is_in_chain_above(outsider, caseworker)
    assert not predicates.is_in_chain_above(caseworker, manager)
    assert not predicates.is_in_chain_above(caseworker, caseworker)


def test_head_of_department_of_covers_head_and_deputy_of_that_department_only(chain, make_user):
    head, senior, manager, caseworker, outsider = chain
    assert predicates.is_head_of_department_of(head, caseworker)
    assert not predicates.is_head_of_department_of(outsider, caseworker)
    deputy = make_user(Role.HEAD_OF_DEPARTMENT)
    assert not predicates.is_head_of_department_of(deputy, caseworker)
    caseworker.department.deputy = deputy
    caseworker.department.save()
    assert predicates.is_head_of_department_of(deputy, caseworker)


def test_role_predicates_follow_groups_and_refuse_inactive_users(chain):
    head, senior, manager, caseworker, outsider = chain
    assert predicates.is_caseworker(caseworker)
    assert not predicates.is_caseworker(manager)
    assert predicates.is_manager(senior)
    caseworker.is_active = False
    assert not predicates.is_caseworker(caseworker)


def test_chain_stops_at_a_loop(chain):
    head, senior, manager, caseworker, outsider = chain
    head.line_manager = caseworker  # bad data: a loop
    head.save()
    assert [m.pk for m in manager_chain(caseworker)] == [manager.pk, senior.pk, head.pk]


def test_first_available_manager_skips_managers_marked_away(chain):
    head, senior, manager, caseworker, outsider = chain
    assert first_available_manager(caseworker) == manager
    manager.is_away = True
    manager.save()
    assert first_available_manager(caseworker) == senior


def test_staff_record_permission_both_ways(chain):
    head, senior, manager, caseworker, outsider = chain
    assert manager.has_perm("accounts.view_staff_member", caseworker)
    assert caseworker.has_perm("accounts.view_staff_member", caseworker)
    assert not outsider.has_perm("accounts.view_staff_member", caseworker)
    assert not caseworker.has_perm("accounts.view_staff_member", manager)

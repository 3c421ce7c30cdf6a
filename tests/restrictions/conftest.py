"""An organisation for restriction tests: two departments, each with its own chain."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.constants import Role
from accounts.models import ActingHeadOfDepartment
from tests.accounts.factories import DepartmentFactory
from tests.restrictions.factories import (
    ApprovedRestrictionFactory,
    CustomerFactory,
    RestrictionFactory,
)


def ensure_role_groups() -> None:
    """A transactional test elsewhere flushes the groups the data migration made: remake them."""
    for name in Role.values:
        Group.objects.get_or_create(name=name)


@pytest.fixture(autouse=True)
def _role_groups(db):
    ensure_role_groups()


@pytest.fixture
def org(make_user):
    """Customer Contact (head, deputy, senior, manager, caseworker) and Complaints (hod2...)."""
    o = SimpleNamespace()
    dept = DepartmentFactory(name="Customer Contact")
    other = DepartmentFactory(name="Complaints and Review")
    o.dept, o.other_dept = dept, other
    o.head = make_user(Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER, department=dept,
                       username="head")
    o.deputy = make_user(Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER, department=dept,
                         username="deputy", line_manager=o.head)
    o.senior = make_user(Role.SENIOR_STAFF, Role.LINE_MANAGER, department=dept,
                         username="senior", line_manager=o.head)
    o.manager = make_user(Role.LINE_MANAGER, department=dept, username="manager",
                          line_manager=o.senior)
    o.caseworker = make_user(Role.CASEWORKER, department=dept, username="caseworker",
                             line_manager=o.manager)
    o.compliance = make_user(Role.COMPLIANCE, username="compliance")
    o.hod2 = make_user(Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER, department=other,
                       username="hod2")
    o.manager2 = make_user(Role.LINE_MANAGER, department=other, username="manager2",
                           line_manager=o.hod2)
    o.senior2 = make_user(Role.SENIOR_STAFF, department=other, username="senior2",
                          line_manager=o.hod2)
    dept.head = o.head
    dept.save()
    # the deputy decides only while appointed acting Head of Department (12.1)
    o.admin = make_user(Role.ADMINISTRATOR, username="admin")
    o.acting = ActingHeadOfDepartment.objects.create(
        department=dept, acting_head=o.deputy, appointed_by=o.admin,
        starts_on=timezone.localdate(), ends_on=timezone.localdate() + timedelta(days=30),
        reason="The Head's leave")
    other.head = o.hod2
    other.save()
    o.customer = CustomerFactory(given_name="Alex", family_name="Morgan")
    return o


@pytest.fixture
def submitted(org):
    return RestrictionFactory(customer=org.customer, requested_by=org.manager)


@pytest.fixture
def approved(org):
    return ApprovedRestrictionFactory(customer=org.customer, requested_by=org.manager,
                                      decided_by=org.head)

"""Permission predicates, one module used by views and templates alike.

Views use ``rules.contrib.views.PermissionRequiredMixin`` or ``user.has_perm``;
templates use ``{% load rules %}{% has_perm ... %}``. Access is denied by default:
a permission that is not declared here is refused.
"""

import rules

from accounts.constants import Role
from accounts.selectors import manager_chain


def has_role(*roles: str) -> rules.Predicate:
    """A predicate true for an active user holding any of ``roles``."""
    name = "has_role:" + "|".join(roles)

    @rules.predicate(name=name)
    def _has_role(user) -> bool:
        return bool(getattr(user, "is_authenticated", False)) and user.has_role(*roles)

    return _has_role


is_caseworker = has_role(Role.CASEWORKER)
is_line_manager = has_role(Role.LINE_MANAGER)
is_senior_staff = has_role(Role.SENIOR_STAFF)
is_head_of_department = has_role(Role.HEAD_OF_DEPARTMENT)
is_compliance = has_role(Role.COMPLIANCE)
is_administrator = has_role(Role.ADMINISTRATOR)
is_staff_member = has_role(*Role.values)
# Who sees customer records: every role but Administrator, who manages users, departments
# and reference data and sees customers only with another role as well (issue 17).
is_customer_facing = has_role(*(r for r in Role.values if r != Role.ADMINISTRATOR))
is_manager = has_role(Role.LINE_MANAGER, Role.SENIOR_STAFF, Role.HEAD_OF_DEPARTMENT)


@rules.predicate
def is_self(user, staff) -> bool:
    """The user is the staff member in question."""
    return staff is not None and user.pk == staff.pk


@rules.predicate
def is_line_manager_of(user, staff) -> bool:
    """The user is the staff member's direct line manager."""
    return staff is not None and staff.line_manager_id == user.pk


@rules.predicate
def is_in_chain_above(user, staff) -> bool:
    """The user is anywhere in the staff member's line-manager chain."""
    return staff is not None and any(m.pk == user.pk for m in manager_chain(staff))


@rules.predicate
def is_head_of_department_of(user, staff) -> bool:
    """The user heads the staff member's department (holding the Head of Department role),
    or is its recorded acting Head today (7.2, 12.1). ``staff`` may be any record with a
    ``department`` (a member of staff, a restriction)."""
    from accounts.selectors import acting_head_appointment, is_head_in_role

    department = getattr(staff, "department", None)
    return is_head_in_role(user, department) or (
        acting_head_appointment(user, department) is not None)


rules.add_perm("accounts.view_staff_member", is_self | is_in_chain_above | is_administrator)
# Issue 19, finding 1: administrators issue two-factor enrolment codes (accounts.enrolment).
rules.add_perm("accounts.issue_enrolment_code", is_administrator)
# Heads and acting Heads of Department are recorded by administrators (audited).
rules.add_perm("accounts.manage_departments", is_administrator)

"""Who may do what with restrictions and adjustments (7.2, 12, 13). Deny by default."""

import rules

from accounts.rules import (
    is_administrator,
    is_compliance,
    is_customer_facing,
    is_head_of_department,
    is_head_of_department_of,
    is_line_manager,
    is_manager,
    is_senior_staff,
)
from restrictions.constants import ACTIVE


@rules.predicate
def is_requester(user, restriction) -> bool:
    return restriction is not None and restriction.requested_by_id == user.pk


@rules.predicate
def is_in_force_status(user, restriction) -> bool:
    return restriction is not None and restriction.status in ACTIVE


@rules.predicate
def is_in_same_department(user, restriction) -> bool:
    return (restriction is not None and user.department_id is not None
            and user.department_id == restriction.department_id)


@rules.predicate
def is_decider_for(user, restriction) -> bool:
    """7.2: the Head (or acting Head) of the requester's department, and not the requester."""
    return (restriction is not None and is_head_of_department_of(user, restriction)
            and restriction.requested_by_id != user.pk)


# Managers of the record: the requester, managers in its department, its Head or acting Head.
manages = is_requester | (is_manager & is_in_same_department) | is_head_of_department_of
is_senior = is_senior_staff | is_head_of_department

# 7.2: line managers (and those above them) ask for a restriction or adjustment.
rules.add_perm("restrictions.request_for_customer", is_manager)
# 12.3: every member of staff sees the banner of a record in force.
rules.add_perm("restrictions.view_banners", is_customer_facing)
rules.add_perm("restrictions.view_restriction",
               (is_customer_facing & is_in_force_status) | manages | is_compliance | is_senior)
# The grounds and evidence: managers, Heads of Department and Compliance only (audited).
rules.add_perm("restrictions.view_grounds",
               is_compliance | is_senior | (is_line_manager & manages))
rules.add_perm("restrictions.change_restriction", is_requester)
rules.add_perm("restrictions.decide_restriction", is_decider_for)
rules.add_perm("restrictions.review_restriction", is_decider_for)
rules.add_perm("restrictions.record_letter", manages)
rules.add_perm("restrictions.record_appeal", manages)
rules.add_perm("restrictions.decide_appeal", is_senior)
# 13: further action is visible to managers (and Compliance), recorded by managers.
rules.add_perm("restrictions.view_further_action", is_manager | is_compliance)
rules.add_perm("restrictions.record_further_action", is_manager)
# Written contact triage: any member of staff signs it off.
rules.add_perm("restrictions.triage", is_customer_facing)
rules.add_perm("restrictions.view_decide_queue", is_head_of_department)
rules.add_perm("restrictions.view_own_requests", is_manager)
# Issue 16: an Administrator imports the records already in force with the customer register
# (the decision was a Head of Department's, recorded as imported).
rules.add_perm("restrictions.import_restriction", is_administrator)

"""Who may see welfare records: the staff member, their line manager and managers above.

Deny by default; every view of a follow-up or distress flag is also written to the audit
trail (``audit_viewed``).
"""

import rules

from accounts.rules import is_in_chain_above, is_manager, is_self, is_staff_member


@rules.predicate
def is_about_me(user, record) -> bool:
    return record is not None and is_self.test(user, record.staff)


@rules.predicate
def is_above_staff(user, record) -> bool:
    return record is not None and is_in_chain_above.test(user, record.staff)


rules.add_perm("welfare.view_welfare", is_staff_member)
rules.add_perm("welfare.view_follow_up", is_about_me | is_above_staff)
rules.add_perm("welfare.complete_follow_up", is_above_staff)
rules.add_perm("welfare.raise_distress_flag", is_staff_member)
rules.add_perm("welfare.view_distress_flag", is_about_me | is_above_staff)
rules.add_perm("welfare.acknowledge_distress_flag", is_above_staff)
rules.add_perm("welfare.view_manager_work", is_manager)

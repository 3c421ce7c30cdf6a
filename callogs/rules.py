"""Who may see and act on terminated-call logs (8.1, 8.2) and take over contacts (14.2).

A caseworker sees only their own logs; a line manager their own team's (staff whose line
manager they are), and managers above see those of the staff below them (a log reaches
them when the line manager is away or the review is overdue). Lists and detail pages use
the same rules.
"""

import rules

from accounts.rules import is_in_chain_above, is_line_manager, is_manager, is_staff_member


@rules.predicate
def is_log_author(user, log) -> bool:
    return log is not None and log.author_id == user.pk


@rules.predicate
def is_authors_line_manager(user, log) -> bool:
    return log is not None and log.author.line_manager_id == user.pk


@rules.predicate
def is_above_author(user, log) -> bool:
    """A manager anywhere up the author's chain: who a log goes to when the line manager is
    away, and who an overdue review escalates to (2.2, 8.2)."""
    return log is not None and is_in_chain_above.test(user, log.author)


@rules.predicate
def writes_the_contacts_log(user, contact) -> bool:
    """8.1: whoever terminated the contact writes its log (after a take-over, the manager
    who ended it): ``callogs.services.log_author_for``."""
    from callogs.services import log_author_for

    return contact is not None and log_author_for(contact).pk == user.pk


@rules.predicate
def is_draft(user, log) -> bool:
    return log is not None and log.is_draft


@rules.predicate
def is_editable(user, log) -> bool:
    """A draft, or a log returned to its author to amend (issue 17)."""
    return log is not None and log.is_editable


@rules.predicate
def is_above_contact_staff(user, contact) -> bool:
    return contact is not None and is_in_chain_above.test(user, contact.staff)


@rules.predicate
def contact_is_live(user, contact) -> bool:
    return contact is not None and contact.is_live


rules.add_perm("callogs.view_own_logs", is_staff_member)
rules.add_perm("callogs.start_log", writes_the_contacts_log)
rules.add_perm("callogs.view_log",
               is_log_author | is_authors_line_manager | (is_manager & is_above_author))
rules.add_perm("callogs.change_log", is_log_author & is_editable)
rules.add_perm("callogs.submit_log", is_log_author & is_editable)
rules.add_perm("callogs.place_in_case_file", is_log_author | is_authors_line_manager)
rules.add_perm("callogs.view_review_queue", is_line_manager)
# 8.2: the author's line manager discusses the log; when they are away, or the review is
# overdue (escalated), a manager above them in the author's chain can (issue 17).
rules.add_perm("callogs.review_log", is_manager & is_above_author)
rules.add_perm("callogs.take_over_contact", is_above_contact_staff & contact_is_live)

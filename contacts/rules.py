"""Who may do what with customers and contacts.

12.3 says "any member of staff" handles a restricted customer in line with their record, so
every member of staff may look customers up and see the customer page with its banners. A
contact's screen and its writes belong to the staff member who owns it, a manager who has
taken it over, and the managers in the owner's chain above (deny by default).
"""

import rules

from accounts.rules import (
    is_administrator,
    is_caseworker,
    is_customer_facing,
    is_in_chain_above,
    is_manager,
    is_staff_member,
)
from contacts import visibility


@rules.predicate
def may_see_contact(user, contact) -> bool:
    """Owner, manager who took it over, or a manager above the owner: the one rule in
    ``contacts.visibility`` that every page showing a contact asks."""
    return visibility.may_see_contact(user, contact)


@rules.predicate
def is_callback_assignee(user, callback) -> bool:
    return callback is not None and callback.assigned_to_id == user.pk


@rules.predicate
def above_callback_assignee(user, callback) -> bool:
    return callback is not None and is_in_chain_above.test(user, callback.assigned_to)


@rules.predicate
def above_callback_contact_staff(user, callback) -> bool:
    """A manager above the member of staff whose contact it is: for a 9.1 callback given to
    a senior colleague, the caseworker's managers, who an overdue one escalates to."""
    return (callback is not None and callback.contact_id is not None
            and is_in_chain_above.test(user, callback.contact.staff))


@rules.predicate
def is_need_manager(user, report) -> bool:
    return report is not None and report.manager_id == user.pk


@rules.predicate
def above_need_reporter(user, report) -> bool:
    return report is not None and is_in_chain_above.test(user, report.raised_by)


@rules.predicate
def is_item_manager(user, item) -> bool:
    """The line manager a flag or review was sent to."""
    return item is not None and item.manager_id == user.pk


@rules.predicate
def above_item_staff(user, item) -> bool:
    """A manager above the caseworker behind a flag or review."""
    staff = getattr(item, "staff", None) or getattr(getattr(item, "contact", None), "staff",
                                                     None)
    return item is not None and is_in_chain_above.test(user, staff)


@rules.predicate
def is_contact_handler(user, contact) -> bool:
    return contact is not None and contact.staff_id == user.pk


@rules.predicate
def within_correction_window(user, contact) -> bool:
    """Issue 17: the handler corrects their own contact until
    ``settings.CONTACTS_EDIT_WINDOW_HOURS`` after it ended (a live contact: any time)."""
    from contacts.services import correction_window_open

    return contact is not None and correction_window_open(contact)


@rules.predicate
def is_handlers_line_manager(user, contact) -> bool:
    return contact is not None and contact.staff.line_manager_id == user.pk


@rules.predicate
def above_contact_staff(user, contact) -> bool:
    return contact is not None and is_in_chain_above.test(user, contact.staff)


can_handle_contact = may_see_contact

rules.add_perm("contacts.lookup_customers", is_customer_facing)
rules.add_perm("contacts.view_customer", is_customer_facing)
rules.add_perm("contacts.log_contact", is_caseworker | is_manager)
rules.add_perm("contacts.view_contact", can_handle_contact)
rules.add_perm("contacts.change_contact", can_handle_contact)
# Issue 17, corrections: the handler within the edit window, their line manager at any time.
rules.add_perm("contacts.correct_contact",
               (is_contact_handler & within_correction_window)
               | (is_manager & is_handlers_line_manager))
# A classification moves down only by a manager above the member of staff, with a reason.
rules.add_perm("contacts.reclassify_down", is_manager & above_contact_staff)
rules.add_perm("contacts.complete_callback",
               is_callback_assignee | above_callback_assignee
               | (is_manager & above_callback_contact_staff))
rules.add_perm("contacts.decide_item", is_item_manager | above_item_staff)
# 12.2: the manager a communication need was reported to, or one above the reporter.
rules.add_perm("contacts.decide_need", is_manager & (is_need_manager | above_need_reporter))
rules.add_perm("contacts.view_queue", is_staff_member)
# Issue 24: the suggested words for a live call are reference data an Administrator keeps
# (through ``services.suggested_words_save``); the Django admin asks the model permissions,
# declared here so these rules alone answer them (no adding or deleting: one row per step).
rules.add_perm("contacts.manage_suggested_words", is_administrator)
rules.add_perm("contacts.view_suggestedwords", is_administrator)
rules.add_perm("contacts.change_suggestedwords", is_administrator)

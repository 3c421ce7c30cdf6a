"""Linking a contact logged "with an unknown caller" to a customer afterwards (issue 16).

The contact keeps everything hanging off it (behaviour classification, the guided steps,
callbacks, escalations, any terminated-call log), so linking moves all of it to the
customer at once; the persistent-contact check (7.2) then counts it with the customer's
other contacts on the same case.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from contacts.customer_services import customer_require_current, may_keep_customers
from contacts.models import Contact, Customer
from contacts.rules import can_handle_contact
from contacts.services import persistent_check


def may_link_contact(actor, contact: Contact) -> bool:
    """The staff who may handle the contact (its owner, a manager who took it over, the
    owner's managers), being caseworkers or managers. No superuser exemption."""
    return may_keep_customers(actor) and can_handle_contact.test(actor, contact)


def contact_link_customer(*, actor, contact: Contact, customer: Customer) -> Contact:
    """Record who the unknown caller was: the contact (and all on it) becomes theirs."""
    if not may_link_contact(actor, contact):
        raise PermissionDenied("Only the member of staff handling this contact, or their "
                               "managers, can say who the caller was.")
    with transaction.atomic():
        contact = (Contact.objects.select_for_update(of=("self",))
                   .select_related("case_reference", "staff").get(pk=contact.pk))
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        customer_require_current(customer)
        if contact.customer_id is not None:
            raise ValidationError("This contact is already linked to a customer.")
        case = contact.case_reference
        if case is not None and case.customer_id != customer.pk:
            raise ValidationError(
                f"This contact is about case {case.reference}, which is on another "
                "customer's record. Link it to that customer, or ask a line manager to "
                "merge the records if they are the same person.")
        contact.customer = customer
        contact.customer_linked_by = actor
        contact.customer_linked_at = timezone.now()
        contact.save(update_fields=["customer", "customer_linked_by", "customer_linked_at"])
        _name_the_caller_on_a_draft_log(contact, customer)
        audit_record(actor=actor, action="contact.customer_linked", target=contact,
                     changes={"customer": [None, customer.pk],
                              "caller_name": contact.caller_name})
        audit_record(actor=actor, action="customer.contact_linked", target=customer,
                     changes={"contact": contact.pk})
        persistent_check(contact=contact, actor=actor)  # 7.2: it now counts for them
    return contact


def _name_the_caller_on_a_draft_log(contact: Contact, customer: Customer) -> None:
    """8.1 appendix "Name of caller (if known)": now known, on a log still being written."""
    from callogs.models import TerminatedCallLog

    (TerminatedCallLog.objects.filter(contact=contact, status="draft", caller_name="")
     .update(caller_name=customer.full_name[:200]))

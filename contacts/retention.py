"""Retention rules for the contacts app's records (privacy.registry; docs/DATA_PROTECTION.md).

Customers are anonymised, never deleted: their reference, dates and the contacts' channel,
behaviour class and staff stay, so the reports (kept by triggers) count the same before and
after. Emails and phone numbers go with the customer.
"""

from django.db.models import Exists, OuterRef, Q

from privacy.registry import (
    ANONYMISE,
    ANONYMISED_NAME,
    DELETE,
    RetentionRule,
    exempt,
    register,
    register_hold,
)

LAWFUL_BASIS = ("Public task (UK GDPR Art. 6(1)(e)); special category data about health or "
                "disability under Art. 9(2)(g) and DPA 2018 Sch. 1 para 6 (statutory purposes)")
STAFF_LINK = "the member of staff who handled it: kept so the reports count by person"
CONTACT_PERMS = ("contacts.view_contact",)


def open_case():
    """The customer has an open case"""
    from contacts.models import CaseReference

    return CaseReference.objects.filter(is_open=True).values("customer_id")


register_hold(open_case)


def _no_contact_since(cutoff) -> Q:
    from contacts.models import Contact

    recent = Contact.objects.filter(customer=OuterRef("pk"), started_at__gte=cutoff)
    return Q(created_at__lt=cutoff) & ~Q(Exists(recent))


def _contact_ended(cutoff) -> Q:
    return Q(started_at__lt=cutoff) & ~Q(case_reference__is_open=True)


def _staff(user) -> str:
    from privacy.export import _staff_label

    return _staff_label(user) or "a member of staff"


def _customer_source(customer) -> str | None:
    """Imported, from the case-management system, or (``None``) whoever created it."""
    if customer.register_key:
        return "imported from the existing customer register"
    external = customer.external_ids.select_related("client").first()
    if external is not None:
        return f"the case-management system ({external.client})"
    return None


def _contact_source(contact) -> str:
    """The customer, by the channel they used, through a staff member's contact log (and the
    telephony system when it opened the contact)."""
    how = contact.get_channel_display().lower()
    text = (f"the customer ({how}), recorded in a staff member's contact log "
            f"({_staff(contact.staff)})")
    if getattr(contact, "call_event", None) is not None:
        text += "; the number from the telephony system"
    return text


def _contact_rule(model: str, fields: tuple[str, ...], purpose: str, **extra) -> RetentionRule:
    """A record that belongs to one contact goes when the contact goes."""
    extra.setdefault("seen_by", CONTACT_PERMS)
    return register(RetentionRule(
        model=model, personal_fields=fields, period="contacts", action=ANONYMISE,
        purpose=purpose, lawful_basis=LAWFUL_BASIS, starts="its contact started",
        follows="contact", customer="contact__customer", **extra))


register(RetentionRule(
    model="contacts.Customer",
    personal_fields=("given_name", "family_name", "preferred_name", "address", "postcode",
                     "communication_needs", "search_given", "search_family", "sound_given",
                     "sound_given_alt", "sound_family", "sound_family_alt"),
    placeholders={"family_name": ANONYMISED_NAME},
    period="customers", action=ANONYMISE, anchor=_no_contact_since,
    starts="the last contact (or the record's creation, if later)",
    customer="pk", record_source=_customer_source,
    purpose="Identify the customer and warn staff of restrictions and needs (5, 6.1, 12.3)",
    lawful_basis=LAWFUL_BASIS, seen_by=("contacts.view_customer",),
    source="entered by staff, or imported from the existing customer register",
    kept={"reference": "an opaque reference (CUS-...) with no personal data in it",
          "register_key": "the old register's key, to match a re-import; no name in it",
          "merged_into": "the record this duplicate was merged into"},
))
for _model, _field in (("contacts.CustomerEmail", ("email", "email_normalised")),
                       ("contacts.CustomerPhone", ("number", "number_normalised"))):
    register(RetentionRule(
        model=_model, personal_fields=_field, period="customers", action=DELETE,
        follows="customer", customer="customer", starts="the customer's last contact",
        purpose="Find the customer when they get in touch; reply to them (5)",
        lawful_basis=LAWFUL_BASIS, seen_by=("contacts.view_customer",),
        source="entered by staff, or imported from the existing customer register",
        kept={"customer": "the customer it belongs to"},
    ))
register(RetentionRule(
    model="contacts.CaseReference", personal_fields=(), period="customers", action=ANONYMISE,
    follows="customer", customer="customer", starts="the customer's last contact",
    purpose="Link contacts to the case on the case management system (8.1)",
    lawful_basis=LAWFUL_BASIS, seen_by=("contacts.view_customer",),
    source="the case-management system (CMEH)",
    kept={"reference": "the case management system's case number: kept so the case file "
                       "can still be found; on its own it does not identify anyone",
          "customer": "the customer, who is anonymised by their own rule"},
))
register(RetentionRule(
    model="contacts.Contact",
    personal_fields=("summary", "caller_name", "termination_reason", "outcome"),
    period="contacts", action=ANONYMISE, anchor=_contact_ended,
    starts="the contact started (not while its case is open)", customer="customer",
    record_source=_contact_source,
    purpose="Record each contact and how the customer behaved (5, 7, 8.1)",
    lawful_basis=LAWFUL_BASIS, seen_by=CONTACT_PERMS,
    kept={"customer": "the customer, anonymised by their own rule",
          "staff": STAFF_LINK, "taken_over_by": STAFF_LINK,
          "customer_linked_by": STAFF_LINK, "ended_by": STAFF_LINK},
))
_contact_rule("contacts.BehaviourChange", ("equality_note", "correction_reason"),
              "Keep each behaviour classification and the equality consideration (5, 6.1)",
              kept={"recorded_by": STAFF_LINK})
_contact_rule("contacts.HandlingStep", ("note",),
              "Show that the guided steps of paragraph 7 were followed (7)",
              kept={"recorded_by": STAFF_LINK})
_contact_rule("contacts.Callback", ("late_reason", "done_note"),
              "Arrange and evidence callbacks within 24 hours (7.3, 9.1)",
              kept={"assigned_to": STAFF_LINK, "arranged_by": STAFF_LINK})
_contact_rule("contacts.WrittenCommentReview", ("comments", "agreed_reply"),
              "Agree the reply to unacceptable written comments with the line manager (7.6)",
              kept={"manager": STAFF_LINK, "raised_by": STAFF_LINK, "agreed_by": STAFF_LINK})
_contact_rule("contacts.EscalationRequest",
              ("escalated_to_name", "escalated_to_position", "reason", "senior_advice",
               "why_escalation_helps"),
              "Record a request to speak to someone more senior and what was done (9.1)",
              kept={"recorded_by": STAFF_LINK, "escalated_to": STAFF_LINK,
                    "discussed_with": STAFF_LINK})
_contact_rule("contacts.NameWithheld", ("reason",),
              "Record why a member of staff gave only their first name (10.1)",
              kept={"recorded_by": STAFF_LINK})
_contact_rule("contacts.NameGiven", ("name", "department"),
              "Record the name and department a member of staff gave on a call (10.1)",
              kept={"recorded_by": STAFF_LINK})
register(RetentionRule(
    model="contacts.PersistentContactFlag", personal_fields=("trigger", "decision_reason"),
    period="contacts", action=ANONYMISE, anchor="raised_at", starts="the flag was raised",
    customer="customer",
    purpose="Bring persistent contact on one case to the line manager (7.2)",
    lawful_basis=LAWFUL_BASIS, seen_by=("contacts.decide_item",),
    kept={"manager": STAFF_LINK, "staff": STAFF_LINK, "decided_by": STAFF_LINK,
          "restriction": "the restriction request started from the flag (7.2)"},
))
_contact_rule("contacts.PersistentContactSuggestion", ("reason",),
              "A member of staff suggests to the line manager that contact is persistent (7.2)",
              seen_by=("contacts.decide_item",),
              kept={"suggested_by": STAFF_LINK, "flag": "the flag the line manager decides"})
register(RetentionRule(
    model="contacts.CustomerMerge", personal_fields=(), period="customers", action=ANONYMISE,
    anchor="merged_at", starts="the merge", customer="survivor",
    purpose="Undo a merge of duplicate customer records",
    lawful_basis=LAWFUL_BASIS, seen_by=("contacts.view_customer",),
    kept={"survivor": "the record kept", "merged": "the duplicate", "merged_by": STAFF_LINK},
))


def _need_decided(cutoff) -> Q:
    return Q(decided_at__lt=cutoff)


register(RetentionRule(
    model="contacts.CommunicationNeedReport",
    personal_fields=("need", "suggestion", "decision_reason"),
    period="contacts", action=ANONYMISE, anchor=_need_decided,
    starts="the line manager decided it (an open report is kept until then)",
    customer="customer",
    purpose="Bring a customer's apparent disability or communication need to the line "
            "manager, who proposes a reasonable adjustment or records why not (6.1, 12.2)",
    lawful_basis=LAWFUL_BASIS, seen_by=("contacts.decide_item", "contacts.view_customer"),
    kept={"raised_by": STAFF_LINK, "manager": STAFF_LINK, "decided_by": STAFF_LINK},
))


exempt("contacts.SuggestedWords",
       "Reference data: the words staff may say at each step of a live call, taken from the "
       "procedure (7.3-7.5.1); no customer or member of staff in it")

"""Retention rules for staff welfare records (privacy.registry): about staff, not customers.

They are never part of a customer's subject access bundle (they are about the member of
staff); the link to the contact is kept so a customer's legal hold also holds them.
"""

from contacts.retention import STAFF_LINK
from privacy.registry import ANONYMISE, STAFF, RetentionRule, register

LAWFUL_BASIS = ("Legal obligation to protect staff (UK GDPR Art. 6(1)(c); Health and Safety at "
                "Work etc. Act 1974 s.2); health data under Art. 9(2)(b) (employment)")

register(RetentionRule(
    model="welfare.WelfareFollowUp", personal_fields=("effect_on_staff", "support_offered"),
    period="welfare", action=ANONYMISE, anchor="due_at", starts="the meeting was due",
    customer="contact__customer", subjects=(STAFF,),
    purpose="The manager's welfare meeting after a hard contact (8.2, 14.2)",
    lawful_basis=LAWFUL_BASIS, seen_by=("welfare.view_follow_up",),
    kept={"staff": "the member of staff it is about", "manager": STAFF_LINK,
          "completed_by": STAFF_LINK},
))
register(RetentionRule(
    model="welfare.DistressFlag", personal_fields=("note", "action_taken"),
    period="welfare", action=ANONYMISE, anchor="raised_at", starts="the flag was raised",
    customer="contact__customer", subjects=(STAFF,),
    purpose="A member of staff asks their manager for help during a contact (2.2)",
    lawful_basis=LAWFUL_BASIS, seen_by=("welfare.view_distress_flag",),
    kept={"staff": "the member of staff it is about", "routed_to": STAFF_LINK,
          "acknowledged_by": STAFF_LINK},
))

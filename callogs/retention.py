"""Retention rules for terminated-call logs and their reviews (privacy.registry)."""

from contacts.retention import LAWFUL_BASIS, STAFF_LINK
from privacy.registry import ANONYMISE, STAFF, RetentionRule, register

register(RetentionRule(
    model="callogs.TerminatedCallLog",
    personal_fields=("caller_name", "reason", "staff_name", "return_reason"),
    period="contacts", action=ANONYMISE, follows="contact", customer="contact__customer",
    starts="its contact started",
    purpose="The appendix record of a terminated call, and the case-file copy (8.1)",
    lawful_basis=LAWFUL_BASIS, seen_by=("callogs.view_log",),
    kept={"author": STAFF_LINK,
          "case_reference": "the case number the log was filed under (kept like the case)",
          "placed_in_case_file_by": STAFF_LINK, "received_by": STAFF_LINK,
          "returned_by": STAFF_LINK},
))
register(RetentionRule(
    model="callogs.LogReview", personal_fields=("effect_on_staff", "advice_and_support"),
    period="contacts", action=ANONYMISE, follows="log", customer="log__contact__customer",
    starts="the call's contact started", subjects=(STAFF,),
    purpose="The line manager's discussion of a terminated call with the staff member (8.2)",
    lawful_basis="Legal obligation to protect staff (Art. 6(1)(c); Health and Safety at Work "
                 "etc. Act 1974 s.2); health data under Art. 9(2)(b) (employment)",
    seen_by=("callogs.view_log",), kept={"reviewer": STAFF_LINK},
))

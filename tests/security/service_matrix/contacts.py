"""Customers and contacts (7, 9, 10). Every contact is owned by ``caseworker`` of department
A; ``manager``, ``senior`` and ``hod`` are above them; ``peer`` is in the same team."""

from datetime import timedelta

from django.utils import timezone

from contacts import services as s
from tests.security.permission_matrix import CHAIN, LOGGERS, OWNER_AND_CHAIN
from tests.security.service_matrix import Acts, Read, System


def _step(w, a):
    s.contact_classify(contact=w.contact, actor=w.caseworker, behaviour="difficult")
    return s.handling_step_record(contact=w.contact, actor=a, step="told_will_consult")


SERVICES = {
    "contacts.services.complaint_step_needed": Read("7.4.3: whether the complaint step is owed"),
    "contacts.services.termination_step_for": Read(
        "the step that may end the contact now, or the refusal (7.3-7.5)"),
    "contacts.services.escalated_callback_escalate_to": System(
        "notifications sweep: who an overdue 9.1 callback escalates to"),
    "contacts.services.case_reference_resolve": Read("finds the case a typed reference names"),
    "contacts.services.channel_warnings": Read("12.3: what the terms say about a channel"),
    "contacts.services.needs_equality_prompt": Read("6.1: whether to show the prompt"),
    "contacts.services.next_offensive_step": Read("7.4: the next step still to record"),
    "contacts.services.persistent_check": System(
        "7.2: called by contact_log and contact_mark_no_new_information after their checks"),
    # 7: caseworkers and managers log contacts
    "contacts.services.contact_log": Acts(LOGGERS, lambda w, a: s.contact_log(
        actor=a, customer=w.customer, channel="phone", direction="inbound",
        started_at=timezone.now())),
    "contacts.services.contact_classify": Acts(OWNER_AND_CHAIN, lambda w, a: s.contact_classify(
        contact=w.contact, actor=a, behaviour="difficult")),
    "contacts.services.handling_step_record": Acts(OWNER_AND_CHAIN, _step),
    "contacts.services.contact_end": Acts(OWNER_AND_CHAIN, lambda w, a: s.contact_end(
        contact=w.contact, actor=a, outcome="Answered")),
    "contacts.services.contact_mark_no_new_information": Acts(
        OWNER_AND_CHAIN, lambda w, a: s.contact_mark_no_new_information(
            contact=w.contact, actor=a)),
    # 7.2: the line manager (or a manager above the caseworker) decides the flag
    "contacts.services.persistent_flag_decide": Acts(
        CHAIN, lambda w, a: s.persistent_flag_decide(
            flag=w.flag, actor=a, decision="dismissed", reason="Different issues each time.")),
    "contacts.services.callback_arrange": Acts(OWNER_AND_CHAIN, lambda w, a: s.callback_arrange(
        contact=w.contact, actor=a, assigned_to=w.caseworker,
        due_at=timezone.now() + timedelta(hours=2))),
    "contacts.services.callback_mark_done": Acts(
        OWNER_AND_CHAIN, lambda w, a: s.callback_mark_done(callback=w.callback, actor=a)),
    # 7.6: unacceptable written comments go to the line manager to agree the reply
    "contacts.services.written_review_raise": Acts(
        OWNER_AND_CHAIN, lambda w, a: s.written_review_raise(
            contact=w.written_contact, actor=a, comments="Insults about staff.")),
    "contacts.services.written_review_agree": Acts(CHAIN, lambda w, a: s.written_review_agree(
        review=w.written_review, actor=a, agreed_reply="A short, factual reply.")),
    "contacts.services.escalation_record": Acts(OWNER_AND_CHAIN, lambda w, a: s.escalation_record(
        contact=w.contact, actor=a, outcome="not_escalated", reason="Policy does not allow.")),
    "contacts.services.name_withheld_record": Acts(
        OWNER_AND_CHAIN, lambda w, a: s.name_withheld_record(
            contact=w.contact, actor=a, reason="The caller made threats before.")),
}

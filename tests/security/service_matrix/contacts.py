"""Customers and contacts (7, 9, 10). Every contact is owned by ``caseworker`` of department
A; ``manager``, ``senior`` and ``hod`` are above them; ``peer`` is in the same team."""

from datetime import timedelta

from django.utils import timezone

from contacts import customer_services as cs
from contacts import importing as imp
from contacts import link_services as ls
from contacts import merge_services as ms
from contacts import needs_services as ns
from contacts import services as s
from tests.security.permission_matrix import (
    ADMINISTRATORS,
    CHAIN,
    LOGGERS,
    MANAGERS,
    OWNER_AND_CHAIN,
)
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
    # issue 24: the suggested words for a live call are reference data kept by administrators
    "contacts.services.suggested_words_save": Acts(
        ADMINISTRATORS, lambda w, a: s.suggested_words_save(
            words=w.suggested_words, actor=a, text="I need to consult a colleague.",
            paragraph="7.3")),
    "contacts.services.contact_end": Acts(OWNER_AND_CHAIN, lambda w, a: s.contact_end(
        contact=w.contact, actor=a, outcome="Answered")),
    "contacts.services.contact_mark_no_new_information": Acts(
        OWNER_AND_CHAIN, lambda w, a: s.contact_mark_no_new_information(
            contact=w.contact, actor=a)),
    # 7.2: staff suggest persistent contact; the line manager decides
    "contacts.services.persistent_suggest": Acts(
        OWNER_AND_CHAIN, lambda w, a: s.persistent_suggest(
            contact=w.contact, actor=a, reason="Asks again about the fee we explained.")),
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
    # 10.1: the name and department given on a live call, by whoever is on it
    "contacts.services.name_given_record": Acts(
        OWNER_AND_CHAIN, lambda w, a: s.name_given_record(
            contact=w.contact, actor=a, given="full", department="Customer Contact")),
    # issue 17: the handler corrects within the window (a live contact: open); their line
    # manager at any time
    "contacts.services.contact_correct": Acts(
        frozenset({"caseworker", "manager"}), lambda w, a: s.contact_correct(
            contact=w.contact, actor=a, reason="Typed the wrong summary",
            summary="The customer asked about their case.")),
    "contacts.services.contact_reclassify_down": Acts(
        CHAIN, lambda w, a: s.contact_reclassify_down(
            contact=w.abusive_contact, actor=a, behaviour="offensive",
            reason="Raised voice, no threats: offensive at most.")),
    "contacts.services.correction_window_ends": Read("when the handler's edit window closes"),
    "contacts.services.correction_window_open": Read("whether the edit window is open"),
    "contacts.services.name_given_default_department": Read(
        "the department on the member of staff's record, to prefill the form (10.1)"),
}

# --- issue 16: customers (create, edit, merge, link, needs, import) -------------------------

_IMPORT = "register_id,given_name,family_name\nR-1,Pat,Jones\n"


def _merge(w, a):
    from tests.contacts.factories import CustomerFactory

    return ms.customer_merge(actor=a, survivor=w.customer, merged=CustomerFactory())


SERVICES.update({
    "contacts.customer_services.may_keep_customers": Read("whether the actor may keep customers"),
    "contacts.customer_services.customer_require_current": Read(
        "refuses a merged-away record; checks no actor"),
    "contacts.merge_services.may_merge": Read("whether the actor may merge records"),
    "contacts.merge_services.merge_conflicts": Read("12.3: what a merge would put together"),
    "contacts.merge_services.customer_relations": Read("the foreign keys to Customer"),
    "contacts.merge_services.generic_targets": Read("models with a generic foreign key"),
    "contacts.link_services.may_link_contact": Read("whether the actor may link the contact"),
    "contacts.needs_services.may_decide_need": Read("whether the actor may decide a report"),
    "contacts.needs_services.has_reported_need": Read("6.1: whether a need is reported"),
    "contacts.importing.may_import": Read("whether the actor may import customers"),
    "contacts.importing.read_rows": Read("parses a register file; writes nothing"),
    # caseworkers and managers keep customers' details (no superuser exemption)
    "contacts.customer_services.customer_create": Acts(LOGGERS, lambda w, a: cs.customer_create(
        actor=a, given_name="Pat", family_name="Jones")),
    "contacts.customer_services.customer_update": Acts(LOGGERS, lambda w, a: cs.customer_update(
        actor=a, customer=w.customer, preferred_name="Pat")),
    # line managers merge; only the manager who merged undoes it, the same day
    "contacts.merge_services.customer_merge": Acts(MANAGERS, _merge),
    "contacts.merge_services.customer_merge_undo": Acts(
        frozenset({"manager"}), lambda w, a: ms.customer_merge_undo(
            actor=a, merge=w.customer_merge)),
    # the staff handling the contact, and the owner's managers, say who the caller was
    "contacts.link_services.contact_link_customer": Acts(
        OWNER_AND_CHAIN, lambda w, a: ls.contact_link_customer(
            actor=a, contact=w.unknown_contact, customer=w.customer)),
    # 12.2: reported to a line manager; the caseworker's managers decide
    "contacts.needs_services.communication_need_report": Acts(
        LOGGERS, lambda w, a: ns.communication_need_report(
            actor=a, customer=w.customer, need="Seems hard of hearing"),
        invalid_for=frozenset({"hod", "other_hod"}),
        why="a Head of Department in this world has no line manager to receive the report"),
    "contacts.needs_services.communication_need_propose": Acts(
        CHAIN, lambda w, a: ns.communication_need_propose(actor=a, report=w.need_report)),
    "contacts.needs_services.communication_need_decline": Acts(
        CHAIN, lambda w, a: ns.communication_need_decline(
            actor=a, report=w.need_report, reason="Already in place.")),
    # Administrators import the customer register
    "contacts.importing.customers_import": Acts(
        frozenset({"admin", "superuser"}), lambda w, a: imp.customers_import(
            actor=a, text=_IMPORT, file_name="register.csv")),
})

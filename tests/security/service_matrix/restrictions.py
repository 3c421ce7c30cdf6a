"""Restrictions and adjustments (7.2, 12, 13). The request is raised by ``manager`` of
department A, whose Head is ``hod``; ``senior`` is in the same department."""

from datetime import timedelta

from django.utils import timezone

from restrictions import services as s
from restrictions import services_followup as f
from restrictions import services_import as imp
from tests.security.permission_matrix import CHAIN, MANAGERS, OWNER_AND_CHAIN
from tests.security.service_matrix import Acts, Read, System

HOD = frozenset({"hod"})
REQUESTER = frozenset({"manager"})
APPEAL = frozenset({"senior", "other_hod"})


def _proposal():
    return s.Proposal(start_date=timezone.localdate(), grounds="Abusive calls after warnings.",
                      terms=["written_only"])


def _today():
    return timezone.localdate()


def _import(w, a):
    from tests.contacts.factories import CustomerFactory

    return imp.restriction_import(
        actor=a, customer=CustomerFactory(), file_name="register.csv", line=2,
        decision=imp.ImportedDecision(
            kind="restriction", decided_on=_today() - timedelta(days=10), decided_by=w.hod,
            review_date=_today() + timedelta(days=60), grounds="Abusive calls (7.2)",
            terms=["written_only"]))


SERVICES = {
    "restrictions.services.check_proposal": Read("checks a proposal's terms and dates"),
    "restrictions.services.deciders": Read("lists who may decide a request"),
    "restrictions.services.no_decider_message": Read("words the refusal when nobody can"),
    "restrictions.services.decider_escalate_to": System(
        "notifications sweep: another Head or acting Head for an overdue decision or review"),
    "restrictions.services.restrictions_sweep": System("beat: expires lapsed records and "
                                                       "starts reviews"),
    # 7.2: line managers (and those above them) ask for a restriction
    "restrictions.services.restriction_create": Acts(MANAGERS, lambda w, a: s.restriction_create(
        requested_by=a, customer=w.customer, kind="restriction", proposal=_proposal())),
    "restrictions.services.restriction_update": Acts(REQUESTER, lambda w, a: s.restriction_update(
        restriction=w.draft_restriction, actor=a, proposal=_proposal())),
    "restrictions.services.restriction_submit": Acts(REQUESTER, lambda w, a: s.restriction_submit(
        restriction=w.draft_restriction, actor=a)),
    "restrictions.services.restriction_withdraw": Acts(
        REQUESTER, lambda w, a: s.restriction_withdraw(
        restriction=w.restriction, actor=a)),
    # 7.2, 12.1: the Head of the requester's department (or its acting Head) decides
    "restrictions.services.restriction_approve": Acts(HOD, lambda w, a: s.restriction_approve(
        restriction=w.restriction, actor=a)),
    "restrictions.services.restriction_refuse": Acts(HOD, lambda w, a: s.restriction_refuse(
        restriction=w.restriction, actor=a, reason="Not persistent yet.")),
    "restrictions.services.restriction_return": Acts(HOD, lambda w, a: s.restriction_return(
        restriction=w.restriction, actor=a, reason="Which calls?")),
    "restrictions.services.restriction_start_review": Acts(
        HOD, lambda w, a: s.restriction_start_review(
        restriction=w.approved_restriction, actor=a)),
    "restrictions.services.restriction_renew": Acts(HOD, lambda w, a: s.restriction_renew(
        restriction=w.approved_restriction, actor=a, reason="Still calling.",
        review_date=_today() + timedelta(days=60))),
    "restrictions.services.restriction_lift": Acts(HOD, lambda w, a: s.restriction_lift(
        restriction=w.approved_restriction, actor=a, reason="Behaviour improved.")),
    "restrictions.services.restriction_expire": Acts(HOD, lambda w, a: s.restriction_expire(
        restriction=w.approved_restriction, actor=a)),
    # telling the customer: the managers of the record
    "restrictions.services_followup.restriction_letter_record": Acts(
        CHAIN, lambda w, a: f.restriction_letter_record(
            restriction=w.approved_restriction, actor=a, sent_on=_today())),
    "restrictions.services_followup.restriction_inform_exception": Acts(
        CHAIN, lambda w, a: f.restriction_inform_exception(
            restriction=w.approved_restriction, actor=a, reason="Telling them is a risk.",
            check_on=_today() + timedelta(days=7))),
    "restrictions.services_followup.appeal_deadline": Read("computes the last day to appeal"),
    "restrictions.services_followup.letter_date": Read("the date the letter carries"),
    "restrictions.services.involved_in_decision": Read("lists who made the decision"),
    "restrictions.services.check_appeal_decider": Read(
        "the check appeal_decide makes; raises, changes nothing"),
    # appeals: senior staff or a Head who did not make the decision (hod decided it)
    "restrictions.services.restriction_vary_on_appeal": Acts(
        APPEAL, lambda w, a: s.restriction_vary_on_appeal(
            appeal=w.appeal, actor=a, reason="Calls at set times instead.",
            varied=s.Proposal(start_date=_today(), terms=["phone_set_times"],
                              phone_times="Tuesdays 10 to 11"))),
    "restrictions.services.restriction_overturn_on_appeal": Acts(
        APPEAL, lambda w, a: s.restriction_overturn_on_appeal(
            appeal=w.appeal, actor=a, reason="The calls were not abusive.")),
    "restrictions.services_followup.appeal_record": Acts(CHAIN, lambda w, a: f.appeal_record(
        restriction=w.approved_restriction, actor=a, received_on=_today(),
        customer_grounds="I was only asking.")),
    # senior staff or a Head who did not make the decision (hod decided it, manager asked)
    "restrictions.services_followup.appeal_decide": Acts(
        frozenset({"senior", "other_hod"}), lambda w, a: f.appeal_decide(
            appeal=w.appeal, actor=a, outcome="upheld", reason="The behaviour continued.")),
    # 13: managers record further action
    "restrictions.services_followup.further_action_record": Acts(
        MANAGERS, lambda w, a: f.further_action_record(
            customer=w.customer, actor=a, kind="police", reference="CAD 123",
            taken_on=_today(), taken_by=a)),
    "restrictions.services_followup.triage_item_create": System(
        "called by contacts when written contact is logged or ended"),
    "restrictions.services_followup.on_contact_ended": System(
        "core.extensions.contact_ended hook, after contact_end checked its actor"),
    # Only someone who may read the contact (contacts.visibility) signs off that it holds
    # nothing new (issue 19, finding 3).
    "restrictions.services_followup.triage_sign_off": Acts(
        OWNER_AND_CHAIN, lambda w, a: f.triage_sign_off(
            item=w.triage_item, actor=a, outcome="placed_on_file", no_new_information=True,
            no_safeguarding_concern=True)),
    # Issue 16: an Administrator imports what is already in force with the register
    "restrictions.services_import.restriction_import": Acts(
        frozenset({"admin", "superuser"}), _import),
}

"""Terminated-call logs (8.1, 8.2) and taking over a contact (14.2). ``caseworker`` wrote the
logs; ``manager`` is their line manager."""

from django.utils import timezone

from callogs import services as s
from tests.security.permission_matrix import CHAIN
from tests.security.service_matrix import Acts, Read, System

AUTHOR = frozenset({"caseworker"})

SERVICES = {
    "callogs.services.submitted_key": Read("the due item's key"),
    "callogs.services.draft_key": Read("the draft reminder's key (8.1)"),
    "callogs.services.draft_reminder_due": Read("9:00 the next working day (8.1)"),
    "callogs.services.log_reviewer_for": Read(
        "who a submitted log goes to: the first available manager up who may review it"),
    "callogs.services.draft_escalate_to": System(
        "notifications sweep: who an overdue draft escalates to (8.1)"),
    "callogs.services.log_author_for": Read("who terminated the contact writes its log (8.1)"),
    "callogs.services.calllog_on_contact_ended": System(
        "core.extensions.contact_ended hook, after contact_end checked its actor"),
    "callogs.services.calllog_follow_contact_correction": System(
        "core.extensions.contact_corrected hook, after contact_correct checked its actor"),
    # 8.1: only whoever ended the contact starts its log (the log_start screen's check,
    # now in the service: issue 17)
    "callogs.services.calllog_create_draft": Acts(AUTHOR, lambda w, a: s.calllog_create_draft(
        contact=w.terminated_contact, actor=a)),
    "callogs.services.calllog_update": Acts(AUTHOR, lambda w, a: s.calllog_update(
        log=w.draft_log, actor=a, caller_name="Jo Caller", case_reference="",
        call_at=w.draft_log.call_at, reason="Threats after a warning.", staff_name="A Name")),
    "callogs.services.calllog_submit": Acts(AUTHOR, lambda w, a: s.calllog_submit(
        log=w.draft_log, actor=a)),
    # 8.1: the author or their line manager files a copy in the case file
    "callogs.services.calllog_place_in_case_file": Acts(
        frozenset({"caseworker", "manager"}), lambda w, a: s.calllog_place_in_case_file(
            log=w.submitted_log, actor=a)),
    # 8.2: the author's line manager discusses it, or a manager above them (the log reached
    # them: line manager away, review overdue; issue 17)
    "callogs.services.calllog_review": Acts(CHAIN, lambda w, a: s.calllog_review(
        log=w.submitted_log, actor=a, discussed_on=timezone.localdate(),
        staff_clear_about_circumstances=True, effect_on_staff="Fine",
        advice_and_support="Talked it through", restriction_request_intended=False,
        welfare_follow_up_requested=False)),
    # issue 17: the reviewing manager (the author's chain) returns it to the author to amend
    "callogs.services.calllog_return": Acts(CHAIN, lambda w, a: s.calllog_return(
        log=w.submitted_log, actor=a, reason="Add what the customer said before the warning.")),
    "callogs.services.returned_key": Read("the returned log's reminder key (issue 17)"),
    "callogs.services.log_reason_from_steps": Read(
        "the log's reason prefilled from every recorded step's note (8.1)"),
    "callogs.services.contact_take_over": Acts(CHAIN, lambda w, a: s.contact_take_over(
        contact=w.contact, actor=a)),
}

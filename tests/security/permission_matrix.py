"""THE permission matrix (issue 8, proof 1): who may use every URL name of the project.

Each entry says which object the URL's id points at (an attribute of ``tests.security.world
.World``, or ``None``) and which actors may use it. Every record is owned by ``caseworker``
of department A (``manager`` is their line manager, ``senior`` above, ``hod`` heads the
department); ``peer`` is a caseworker of the same team, ``other_*`` are department B,
``compliance``, ``admin`` and ``superuser`` sit outside both (the administrators see no
customer records). Anyone not listed must get 403 or 404.
A URL name missing here fails ``test_permission_matrix.py``: deny by default.

Paragraph references are to the procedure; the rules themselves live in ``<app>/rules.py``.
"""

from dataclasses import dataclass

from tests.security.world import ACTORS

ALL = frozenset(ACTORS)
ADMINISTRATORS = frozenset({"admin", "superuser"})
# Customer-facing staff: everyone but the administrators, who see no customer records
# (a Django superuser included; issue 17).
STAFF = ALL - ADMINISTRATORS
MANAGERS = frozenset({"manager", "senior", "hod", "other_manager", "other_hod"})
CHAIN = frozenset({"manager", "senior", "hod"})  # above the owner, same department
OWNER_AND_CHAIN = CHAIN | {"caseworker"}
LOGGERS = MANAGERS | {"caseworker", "peer"}  # 7: caseworkers and managers log contacts
COMPLIANCE = frozenset({"compliance"})

# Reachable without signing in; tested in tests/core/test_access_and_sessions.py.
PUBLIC = {"accounts:login", "core:healthz", "accounts:logout", "accounts:break_glass",
          "accounts:oidc_start", "accounts:oidc_callback"}  # issue 21: tests/accounts/test_sso_*


@dataclass(frozen=True)
class Rule:
    allowed: frozenset
    obj: str | None = None  # World attribute whose pk fills the URL's id
    kwargs: tuple = ()  # extra fixed kwargs, e.g. (("step", "..."),)
    why: str = ""
    # Actors refused by a redirect to the read-only page with a message (no change made).
    redirected: frozenset = frozenset()


MATRIX: dict[str, Rule] = {
    # core, accounts
    "core:home": Rule(ALL),
    "core:help_index": Rule(ALL),
    "core:help": Rule(ALL, kwargs=(("slug", "@help"),)),
    # issue 24: the navigation's section pages, for whoever has a page in the section
    "core:section_find": Rule(STAFF),
    "core:section_contacts": Rule(ALL),
    "core:section_team": Rule(ALL),
    "core:section_decisions": Rule(MANAGERS),
    "core:section_compliance": Rule(COMPLIANCE),
    "core:section_administration": Rule(ADMINISTRATORS),
    # issue 23: Prometheus takes the scraper's bearer token only, never a session, staff or
    # superuser (404 while METRICS_TOKEN is unset; tests/core/test_metrics.py)
    "core:metrics": Rule(frozenset()),
    "accounts:two_factor": Rule(ALL, why="redirects home unless a code is due"),
    # issue 19, finding 1: administrators issue two-factor enrolment codes
    "accounts:enrolment": Rule(ADMINISTRATORS),
    "accounts:enrolment_code_issue": Rule(ADMINISTRATORS, obj="hod"),
    # 7.2, 12.1: administrators record Heads and acting Heads of Department
    "accounts:departments": Rule(ADMINISTRATORS),
    "accounts:department_head": Rule(ADMINISTRATORS, obj="department"),
    "accounts:acting_head_appoint": Rule(ADMINISTRATORS, obj="department"),
    "accounts:acting_head_end": Rule(ADMINISTRATORS, obj="acting_appointment"),
    # contacts (7, 9, 10)
    "contacts:lookup": Rule(STAFF),
    "contacts:queue": Rule(ALL, why="each user's own queue"),
    "contacts:customer_detail": Rule(STAFF, obj="customer"),
    "contacts:contact_log": Rule(LOGGERS, obj="customer"),
    "contacts:contact_log_unknown": Rule(LOGGERS),
    # customers kept by the front-line staff (issue 16): caseworkers and managers
    "contacts:customer_create": Rule(LOGGERS),
    "contacts:customer_edit": Rule(LOGGERS, obj="customer"),
    "contacts:customer_import": Rule(ADMINISTRATORS),
    "contacts:need_report": Rule(LOGGERS, obj="customer"),
    "contacts:need_detail": Rule(CHAIN, obj="need_report"),
    "contacts:customer_history": Rule(STAFF, obj="customer",
                                      why="12.3; at-risk entries filtered by their own rule"),
    "contacts:contact_link_customer": Rule(OWNER_AND_CHAIN, obj="unknown_contact"),
    "contacts:customer_merge": Rule(MANAGERS, obj="customer"),
    "contacts:customer_merge_undo": Rule(MANAGERS, obj="customer_merge",
                                         why="the page; the undo itself is the maker's only"),
    "contacts:contact_detail": Rule(OWNER_AND_CHAIN, obj="contact"),
    "contacts:contact_classify": Rule(OWNER_AND_CHAIN, obj="contact"),
    "contacts:contact_step": Rule(OWNER_AND_CHAIN, obj="contact",
                                  kwargs=(("step", "told_will_consult"),)),
    "contacts:contact_end": Rule(OWNER_AND_CHAIN, obj="contact"),
    # issue 24: live-call mode, the same people as the contact screen and its steps
    "contacts:contact_live": Rule(OWNER_AND_CHAIN, obj="contact"),
    "contacts:contact_live_classify": Rule(OWNER_AND_CHAIN, obj="contact"),
    "contacts:contact_live_step": Rule(OWNER_AND_CHAIN, obj="contact",
                                       kwargs=(("step", "told_will_consult"),)),
    "contacts:contact_no_new_information": Rule(OWNER_AND_CHAIN, obj="contact"),
    "contacts:callback_arrange": Rule(OWNER_AND_CHAIN, obj="contact"),
    "contacts:escalation_record": Rule(OWNER_AND_CHAIN, obj="contact"),
    "contacts:persistent_suggest": Rule(OWNER_AND_CHAIN, obj="contact"),  # 7.2
    "contacts:name_given_record": Rule(OWNER_AND_CHAIN, obj="contact"),
    # issue 17, corrections: the handler within the window (or their line manager); a
    # manager above the handler moves a classification down
    "contacts:contact_correct": Rule(frozenset({"caseworker", "manager"}), obj="contact"),
    "contacts:contact_reclassify": Rule(CHAIN, obj="contact"),
    "contacts:written_review_raise": Rule(OWNER_AND_CHAIN, obj="contact"),
    "contacts:callback_done": Rule(OWNER_AND_CHAIN, obj="callback"),
    "contacts:review_detail": Rule(CHAIN, obj="written_review"),
    "contacts:flag_detail": Rule(CHAIN, obj="flag"),
    # notifications
    "notifications:inbox": Rule(ALL),
    "notifications:reminders": Rule(ALL),
    "notifications:mark_all_read": Rule(ALL),
    "notifications:mark_read": Rule(frozenset({"caseworker"}), obj="inbox_entry"),
    # terminated-call logs (8)
    "callogs:my_logs": Rule(ALL),
    "callogs:review_queue": Rule(MANAGERS),
    "callogs:log_start": Rule(frozenset({"caseworker"}), obj="terminated_contact",
                              why="only the member of staff who ended the call writes its log"),
    "callogs:take_over": Rule(CHAIN, obj="contact"),
    # 8.2, 2.2: managers above the line manager see a log (it reaches them when the line
    # manager is away or its review is overdue) and may review it (issue 17)
    "callogs:log_detail": Rule(OWNER_AND_CHAIN, obj="draft_log"),
    "callogs:log_edit": Rule(frozenset({"caseworker"}), obj="draft_log",
                             redirected=CHAIN),
    "callogs:log_submit": Rule(frozenset({"caseworker"}), obj="draft_log",
                               redirected=CHAIN),
    "callogs:log_print": Rule(OWNER_AND_CHAIN, obj="draft_log"),
    "callogs:log_case_file": Rule(frozenset({"caseworker", "manager"}), obj="draft_log"),
    "callogs:review": Rule(CHAIN, obj="submitted_log"),
    # issue 17: the reviewing manager returns a submitted log to its author to amend
    "callogs:log_return": Rule(CHAIN, obj="submitted_log"),
    # welfare (8.4)
    "welfare:home": Rule(ALL),
    "welfare:distress_raise": Rule(ALL),
    "welfare:follow_up_detail": Rule(OWNER_AND_CHAIN, obj="follow_up"),
    "welfare:distress_detail": Rule(OWNER_AND_CHAIN, obj="distress_flag"),
    # restrictions (7.2, 12); the restriction is requested by ``manager`` of department A
    "restrictions:to_decide": Rule(frozenset({"hod", "other_hod"})),
    "restrictions:mine": Rule(MANAGERS),
    "restrictions:reviews_due": Rule(MANAGERS),
    "restrictions:triage": Rule(STAFF),
    "restrictions:triage_sign_off": Rule(STAFF, obj="triage_item"),
    "restrictions:customer": Rule(STAFF, obj="customer"),
    "restrictions:create": Rule(MANAGERS, obj="customer"),
    "restrictions:further_action": Rule(MANAGERS, obj="customer"),
    "restrictions:detail": Rule(CHAIN | {"compliance", "other_hod"}, obj="restriction",
                                why="a request not yet in force: managers of the record, "
                                    "senior staff, Heads and Compliance"),
    "restrictions:grounds": Rule(CHAIN | {"compliance", "other_hod"}, obj="restriction"),
    "restrictions:edit": Rule(frozenset({"manager"}), obj="restriction"),
    "restrictions:withdraw": Rule(frozenset({"manager"}), obj="restriction"),
    "restrictions:decide": Rule(frozenset({"hod"}), obj="restriction"),
    "restrictions:review": Rule(frozenset({"hod"}), obj="approved_restriction"),
    "restrictions:letter": Rule(CHAIN, obj="approved_restriction"),
    "restrictions:letter_record": Rule(CHAIN, obj="approved_restriction"),
    "restrictions:appeal": Rule(CHAIN, obj="approved_restriction"),
    "restrictions:appeal_decide": Rule(frozenset({"senior", "other_hod"}), obj="appeal",
                                       why="senior staff or a Head, but not the original "
                                           "decider (hod decided it)"),
    "restrictions:appeal_letter": Rule(CHAIN, obj="decided_appeal"),
    # documents (issue 22): a letter opens to those who see the record's grounds or manage it
    "documents:download": Rule(CHAIN | {"compliance", "other_hod"}, obj="stored_letter"),
    "documents:restriction_letter": Rule(CHAIN, obj="approved_restriction"),
    "documents:appeal_letter": Rule(CHAIN, obj="decided_appeal"),
    "documents:calllog_copy": Rule(frozenset({"caseworker", "manager"}), obj="draft_log"),
    "documents:atrisk_note": Rule(frozenset({"caseworker", "senior", "compliance"}),
                                  obj="report"),
    # at-risk (11)
    "atrisk:report_list": Rule(STAFF),
    "atrisk:report_create": Rule(STAFF),
    "atrisk:report_detail": Rule(frozenset({"caseworker", "senior", "compliance"}), obj="report"),
    "atrisk:report_acknowledge": Rule(frozenset({"senior"}), obj="report"),
    "atrisk:report_assess": Rule(frozenset({"senior"}), obj="report"),
    "atrisk:report_file_note": Rule(frozenset({"caseworker", "senior"}), obj="report"),  # 11.2
    "atrisk:disclosure_create": Rule(frozenset({"senior"}), obj="report"),
    "atrisk:register": Rule(COMPLIANCE),
    "atrisk:register_csv": Rule(COMPLIANCE),
    "atrisk:disclosure_register_entry": Rule(COMPLIANCE, obj="disclosure"),
    "atrisk:duty_rota": Rule(frozenset({"senior", "compliance"}) | ADMINISTRATORS),
    # dashboards and reports (8.2, 12, 14): figures then scoped by relationship
    "dashboards:team": Rule(MANAGERS),
    "dashboards:department": Rule(frozenset({"hod", "other_hod"})),
    "dashboards:reports": Rule(MANAGERS | COMPLIANCE),
    "dashboards:report": Rule(MANAGERS | COMPLIANCE, kwargs=(("slug", "behaviour"),)),
    "dashboards:report_csv": Rule(MANAGERS | COMPLIANCE, kwargs=(("slug", "behaviour"),)),
    # privacy (UK GDPR)
    "privacy:sar_list": Rule(COMPLIANCE),
    "privacy:sar_create": Rule(COMPLIANCE),
    "privacy:sar_detail": Rule(COMPLIANCE, obj="sar"),
    "privacy:sar_status": Rule(COMPLIANCE, obj="sar"),
    "privacy:sar_download": Rule(COMPLIANCE, obj="sar"),
    "privacy:sar_retry": Rule(COMPLIANCE, obj="sar"),
    "privacy:retention": Rule(COMPLIANCE),
    "privacy:challenge_create": Rule(MANAGERS | COMPLIANCE, obj="customer"),
    "privacy:challenge_decide": Rule(COMPLIANCE, obj="challenge"),
    "privacy:legal_hold": Rule(COMPLIANCE, obj="customer"),
    "privacy:legal_hold_release": Rule(COMPLIANCE, obj="legal_hold"),
    # integration API (issue 20): /api/v1/ takes a system client's key, never a session, so
    # every member of staff is refused (401); tests/api holds the key x scope matrix.
    "api:callers": Rule(frozenset()),
    "api:call_events": Rule(frozenset()),
    "api:customer_upsert": Rule(frozenset(), kwargs=(("external_id", "CMEH-1"),)),
    "api:calllog_export": Rule(frozenset(), obj="submitted_log"),
    "api:calllog_placed": Rule(frozenset(), obj="submitted_log"),
    "api:atrisk_note_export": Rule(frozenset(), obj="report"),
    "api:atrisk_note_placed": Rule(frozenset(), obj="report"),
    "api:calllog_pdf": Rule(frozenset(), obj="submitted_log"),
    "api:atrisk_note_pdf": Rule(frozenset(), obj="report"),
    "api:subscriptions": Rule(frozenset()),
    "api:subscription_detail": Rule(frozenset(), kwargs=(("pk", 1),)),
    "api:deliveries": Rule(frozenset()),
    "api:not_found": Rule(frozenset()),
    "api:schema": Rule(ALL, why="the OpenAPI schema: any signed-in member of staff or a key"),
    "integrations:docs": Rule(ALL),
    "integrations:client_list": Rule(ADMINISTRATORS),
    "integrations:client_register": Rule(ADMINISTRATORS),
    "integrations:client_detail": Rule(ADMINISTRATORS, obj="system_client"),
    "integrations:client_rotate": Rule(ADMINISTRATORS, obj="system_client"),
    "integrations:client_revoke": Rule(ADMINISTRATORS, obj="system_client"),
    "integrations:screen_pop": Rule(ALL, why="204 with nothing for staff who take no calls"),
    "integrations:screen_pop_open": Rule(frozenset({"caseworker"}), obj="call_event",
                                         why="only the agent the call was put through to"),
    # audit trail
    "audit:search": Rule(COMPLIANCE),
    "audit:customer_history": Rule(MANAGERS | COMPLIANCE, obj="customer"),
}

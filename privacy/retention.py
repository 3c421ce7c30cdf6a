"""Retention rules for the privacy app's own records, and for the framework's tables that
hold personal data (sessions, sign-in attempts, the admin's log, two-factor devices).

The rules themselves live in ``privacy.registry``; the run in ``privacy.sweep``. ``HOLDS``
is re-exported here for the apps that register a hold by appending to it.
"""

from contacts.retention import STAFF_LINK
from privacy.registry import (
    ANONYMISE,
    ANONYMISED_NAME,
    DELETE,
    HOLDS,
    STAFF,
    RetentionRule,
    exempt,
    register,
    register_hold,
)

__all__ = ["ANONYMISED", "HOLDS", "expired_customers"]

ANONYMISED = ANONYMISED_NAME
COMPLIANCE = ("privacy.manage_subject_access",)
ACCOUNTABILITY = ("Legal obligation (UK GDPR Art. 6(1)(c)): Articles 12-16 and the "
                  "accountability principle (Art. 5(2))")


def open_subject_access_request():
    """A subject access request is open"""
    from privacy.constants import SarStatus
    from privacy.models import SubjectAccessRequest

    return SubjectAccessRequest.objects.exclude(status=SarStatus.SENT).values("customer_id")


def legal_hold():
    """A legal hold is in force"""
    from privacy.models import LegalHold

    return LegalHold.objects.filter(released_at__isnull=True).values("customer_id")


def expired_customers(now):
    """Customers the retention run would anonymise now (``privacy.sweep.pending``)."""
    from privacy import registry, sweep

    return sweep.pending(registry.RULES["contacts.Customer"], now)


register_hold(open_subject_access_request)
register_hold(legal_hold)

register(RetentionRule(
    model="privacy.SubjectAccessRequest", personal_fields=("export", "extension_reason"),
    period="subject_access", action=ANONYMISE, anchor="received_on",
    starts="the request was received (never while it is open)", customer="customer",
    bundle=False, purpose="Answer a subject access request (Art. 15)",
    lawful_basis=ACCOUNTABILITY, seen_by=COMPLIANCE, kept={"recorded_by": STAFF_LINK},
))
register(RetentionRule(
    model="privacy.SarWithholding", personal_fields=("reason",), period="subject_access",
    action=ANONYMISE, follows="sar", customer="sar__customer", bundle=False,
    starts="the request was received",
    purpose="Record what was withheld from a subject access bundle and why (DPA 2018 Sch. 2)",
    lawful_basis=ACCOUNTABILITY, seen_by=COMPLIANCE,
    kept={"part": "a record type and id", "recorded_by": STAFF_LINK},
))
register(RetentionRule(
    model="privacy.RecordChallenge", personal_fields=("statement", "outcome_note"),
    period="challenges", action=ANONYMISE, anchor="received_on",
    starts="the challenge was received", customer="customer",
    purpose="Keep a customer's challenge to a record beside it (Art. 16, 18)",
    lawful_basis=ACCOUNTABILITY, seen_by=("privacy.record_challenge",),
    source="the customer, recorded by staff",
    kept={"target_id": "the id of the record challenged", "recorded_by": STAFF_LINK,
          "decided_by": STAFF_LINK},
))
register(RetentionRule(
    model="privacy.LegalHold", personal_fields=("reason", "release_reason"),
    period="legal_holds", action=ANONYMISE, anchor="released_at",
    starts="the hold was released (never while in force)", customer="customer", bundle=False,
    purpose="Keep records back from retention for a claim or an investigation",
    lawful_basis="Legal obligation (Art. 6(1)(c)) and legal claims (Art. 9(2)(f))",
    seen_by=("privacy.manage_legal_hold",),
    kept={"placed_by": STAFF_LINK, "released_by": STAFF_LINK},
))
exempt("privacy.RetentionRun", "Counts of what a retention run found and did; the officer "
                               "who applied it is recorded for accountability.")

# The framework's tables.
register(RetentionRule(
    model="sessions.Session", personal_fields=("session_key", "session_data"),
    period="sessions", action=DELETE, anchor="expire_date", starts="the session expired",
    subjects=(STAFF,), source="the sign-in", purpose="Keep a member of staff signed in",
    lawful_basis="The staff member's contract (Art. 6(1)(b))", seen_by=(),
))
_SIGN_IN = ("user_agent", "ip_address", "username", "http_accept", "path_info")
for _model, _fields in (("axes.AccessAttempt", (*_SIGN_IN, "get_data", "post_data")),
                        ("axes.AccessLog", (*_SIGN_IN, "session_hash")),
                        ("axes.AccessFailureLog", _SIGN_IN)):
    register(RetentionRule(
        model=_model, personal_fields=_fields, period="security_logs", action=DELETE,
        anchor="attempt_time", starts="the sign-in attempt", subjects=(STAFF,),
        source="the sign-in page",
        purpose="Lock out password guessing and investigate attacks",
        lawful_basis="Legitimate interests in the security of the service (Art. 6(1)(f); "
                     "Art. 32)", seen_by=(),
    ))
register(RetentionRule(
    model="admin.LogEntry", personal_fields=("object_repr", "change_message"),
    period="notifications", action=DELETE, anchor="action_time",
    starts="the administrator's change", subjects=(STAFF,),
    source="the Django admin", purpose="The administrators' own list of recent changes",
    lawful_basis="Public task (Art. 6(1)(e)); the audit trail keeps the lasting record",
    seen_by=(), kept={"object_id": "the id of the record changed", "user": STAFF_LINK},
))
register(RetentionRule(
    model="otp_totp.TOTPDevice", personal_fields=("name",), period="staff_accounts",
    action=DELETE, follows="user", starts="the account was anonymised", subjects=(STAFF,),
    source="two-factor enrolment", purpose="Two-factor sign-in for staff with wide access",
    lawful_basis="Legitimate interests in the security of the service (Art. 32)", seen_by=(),
    kept={"key": "the device's secret: deleted with the device", "user": "its owner"},
))
for _model, _reason in (
    ("auth.Group", "A role's name."),
    ("auth.Permission", "A permission's name."),
    ("contenttypes.ContentType", "A table's name."),
):
    exempt(_model, _reason)

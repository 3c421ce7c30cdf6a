"""Retention rules for staff accounts (privacy.registry).

A member of staff's name stays on the records they made for as long as those records are
kept; an account switched off and unused for that long is anonymised (its row stays, so the
records still point at "a former member of staff").
"""

from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat

from privacy.registry import ANONYMISE, DELETE, STAFF, RetentionRule, exempt, register


def _left_long_ago(cutoff) -> Q:
    return Q(is_active=False) & (Q(last_login__lt=cutoff)
                                 | Q(last_login__isnull=True, date_joined__lt=cutoff))


register(RetentionRule(
    model="accounts.User",
    personal_fields=("username", "first_name", "last_name", "email", "job_title"),
    placeholders={"username": Concat(Value("former-staff-"), Cast("pk", CharField()))},
    period="staff_accounts", action=ANONYMISE, anchor=_left_long_ago,
    starts="the account was last used (switched-off accounts only)", subjects=(STAFF,),
    source="entered by an administrator, or from the identity provider",
    purpose="Sign staff in, route work to them and show who did what",
    lawful_basis="The staff member's contract (UK GDPR Art. 6(1)(b)) and public task (6(1)(e))",
    seen_by=("accounts.view_staff_member",),
    kept={"password": "a one-way hash, useless once the account is switched off",
          "department": "an organisational unit", "line_manager": "the manager's account"},
))
register(RetentionRule(
    model="accounts.ActingHeadOfDepartment", personal_fields=("reason",),
    period="restrictions", action=ANONYMISE, anchor="ends_on",
    starts="the acting appointment ended", subjects=(STAFF,),
    purpose="Show who could decide restriction requests for a department, and why (7.2, 12)",
    lawful_basis="Public task (UK GDPR Art. 6(1)(e))",
    seen_by=("accounts.view_staff_member",),
    kept={"acting_head": "the member of staff appointed: kept as long as the decisions they "
                         "made", "appointed_by": "who appointed them",
          "ended_by": "who ended it early"},
))
register(RetentionRule(
    model="accounts.EnrolmentCode", personal_fields=(), period="security_logs", action=DELETE,
    anchor="expires_at", starts="the code expired", subjects=(STAFF,),
    source="issued by an administrator",
    purpose="Let a member of staff set up two-factor sign-in once",
    lawful_basis="Legitimate interests in the security of the service (Art. 32)",
    seen_by=(), kept={"user": "the member of staff", "issued_by": "the administrator",
                      "code_hash": "a one-way hash of a one-time code"},
))
register(RetentionRule(
    model="accounts.ExternalIdentity", personal_fields=("subject",), period="staff_accounts",
    action=DELETE, follows="user", starts="the account was last used (switched-off accounts "
    "only)", subjects=(STAFF,), source="the organisation's identity provider",
    purpose="Find the member of staff's account when they sign in through the identity "
            "provider (issue 21)",
    lawful_basis="The staff member's contract (UK GDPR Art. 6(1)(b)) and legitimate "
                 "interests in the security of the service (Art. 32)",
    seen_by=("accounts.view_staff_member",),
    kept={"issuer": "the identity provider's address, the same for every member of staff"},
))
exempt("accounts.Department", "An organisational unit: its name, and its head and deputy as "
                              "roles; nothing about a person beyond who holds the role.")

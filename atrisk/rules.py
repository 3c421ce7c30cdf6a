"""Who may do what with at-risk reports and disclosures (11). Denied unless declared here.

Visibility (11, DESIGN "Data protection"): the reporter, senior staff, Compliance, and anyone
the alert reached (a manager it escalated to). ``atrisk.selectors.reports_visible_to`` applies
the same rule to lists, so lists and detail pages agree.
"""

import rules

from accounts.rules import (
    is_administrator,
    is_compliance,
    is_customer_facing,
    is_senior_staff,
)


@rules.predicate
def is_reporter(user, report) -> bool:
    """The user raised this report."""
    return report is not None and report.raised_by_id == user.pk


@rules.predicate
def was_alerted(user, report) -> bool:
    """The at-risk alert for this report reached the user (directly or by escalation)."""
    if report is None or not getattr(user, "is_authenticated", False):
        return False
    from django.db.models import Q

    from atrisk.selectors import alert_items_for

    return alert_items_for(report).filter(Q(recipient=user) | Q(escalated_to=user)).exists()


can_view_report = is_reporter | is_senior_staff | is_compliance | was_alerted

rules.add_perm("atrisk.raise_report", is_customer_facing)
rules.add_perm("atrisk.list_reports", is_customer_facing)
rules.add_perm("atrisk.view_report", is_customer_facing & can_view_report)
# Someone else takes the report on: "pass them on to a senior member of staff" (11.2).
rules.add_perm(
    "atrisk.acknowledge_report", (is_senior_staff | was_alerted) & ~is_reporter
)
# 11.5, 11.6: what the senior decided (the assessment, which agencies were contacted, every
# disclosure: to whom and why) is for senior staff, Compliance and whoever the alert reached
# to take it on. The reporter who is none of these sees only that a senior has it in hand
# (issue 25): they need to know it was picked up, not the vital-interests decision.
rules.add_perm(
    "atrisk.view_outcome", is_senior_staff | is_compliance | (was_alerted & ~is_reporter))
# 11.5, 11.6: the assessment and any disclosure are for senior staff.
rules.add_perm("atrisk.assess_report", is_senior_staff)
# 11.2: the reporter (who wrote it) or senior staff file the telephone note with the case, as
# the author or their line manager places the 8.1 log copy in it.
rules.add_perm("atrisk.file_case_note", is_customer_facing & (is_reporter | is_senior_staff))
rules.add_perm("atrisk.record_disclosure", is_senior_staff)
# 11.6: Compliance keeps the formal register of disclosures.
rules.add_perm("atrisk.view_register", is_compliance)
rules.add_perm("atrisk.register_disclosure", is_compliance)
rules.add_perm("atrisk.manage_duty_rota", is_administrator)
rules.add_perm("atrisk.view_duty_rota", is_senior_staff | is_compliance | is_administrator)

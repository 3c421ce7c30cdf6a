"""Who may see which dashboard and report (8.2, 12, 14). Deny by default.

Roles open the pages; the figures are then scoped by relationship in
``dashboards.selectors.report_scope``: a line manager sees their own team (the staff whose
line manager they are), a Head of Department (or acting Head) the departments they head,
Compliance and senior staff everything.
"""

import rules

from accounts.rules import (
    is_compliance,
    is_head_of_department,
    is_line_manager,
    is_senior_staff,
)

may_see_team_dashboard = is_line_manager
may_see_department_dashboard = is_head_of_department
may_see_reports = is_line_manager | is_head_of_department | is_senior_staff | is_compliance

rules.add_perm("dashboards.view_team_dashboard", may_see_team_dashboard)
rules.add_perm("dashboards.view_department_dashboard", may_see_department_dashboard)
rules.add_perm("dashboards.view_reports", may_see_reports)

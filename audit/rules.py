"""Who may read the audit trail (issue 8): Compliance searches it; managers see one
customer's record history."""

import rules

from accounts.rules import is_compliance, is_manager

rules.add_perm("audit.search_events", is_compliance)
rules.add_perm("audit.view_customer_history", is_manager | is_compliance)

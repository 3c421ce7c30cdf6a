"""Who may use data-protection pages: Compliance; challenges also managers."""

import rules

from accounts.rules import is_compliance, is_manager

rules.add_perm("privacy.manage_subject_access", is_compliance)
rules.add_perm("privacy.manage_retention", is_compliance)
rules.add_perm("privacy.record_challenge", is_compliance | is_manager)
rules.add_perm("privacy.decide_challenge", is_compliance)
rules.add_perm("privacy.manage_legal_hold", is_compliance)

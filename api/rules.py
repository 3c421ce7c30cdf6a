"""Who may use the API's staff pages. The services check the same roles again."""

import rules

from accounts.rules import has_role, is_administrator, is_staff_member
from api.services import AGENT_ROLES

is_agent = has_role(*AGENT_ROLES)

rules.add_perm("api.manage_clients", is_administrator)
rules.add_perm("api.view_docs", is_staff_member)
rules.add_perm("api.receive_calls", is_agent)
# For the base template (every page): a rule, not a permission, so a member of staff who
# takes no calls costs no fall-through to ModelBackend's permission-table queries.
rules.add_rule("api.takes_calls", is_agent)

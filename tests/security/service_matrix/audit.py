"""The audit trail: written by every service in its own transaction."""

from tests.security.service_matrix import Read, System

SERVICES = {
    "audit.services.audit_record": System("the audit row each service writes for its change"),
    "audit.services.audit_viewed": System("the audit row a page writes when it shows a record"),
    "audit.services.changed_fields": Read("computes before/after pairs"),
}

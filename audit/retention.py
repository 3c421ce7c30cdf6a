"""The audit trail is exempt from the retention run (privacy.registry), on purpose."""

from privacy.registry import exempt

exempt("audit.AuditEvent",
       "The append-only accountability record (UK GDPR Art. 5(2)): who did what, when, to "
       "which record, with ids and codes, never the record's text. A database trigger "
       "refuses every change; it is kept for the life of the service under the "
       "organisation's audit policy.")

"""Retention rule for the create forms' one-time keys (privacy.registry)."""

from privacy.registry import DELETE, STAFF, RetentionRule, register

register(RetentionRule(
    model="core.SubmissionKey", personal_fields=(), period="submission_keys", action=DELETE,
    anchor="created_at", starts="the form was sent", subjects=(STAFF,),
    source="written by the service",
    purpose="Stop a form sent twice from creating a record twice",
    lawful_basis="Public task (UK GDPR Art. 6(1)(e))", seen_by=(),
    kept={"key": "a random one-time token", "user": "who sent the form",
          "action": "a code", "target_id": "the id of the record created"},
))

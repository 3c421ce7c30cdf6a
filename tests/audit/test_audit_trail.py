"""The audit trail: rows written by the service, and append-only on PostgreSQL.

The suite runs on PostgreSQL (``make test``), where the trigger lives.
"""

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.constants import Role
from audit.models import AuditEvent
from audit.services import audit_record, audit_viewed

pytestmark = pytest.mark.django_db


def test_audit_record_keeps_actor_action_target_and_changes(make_user):
    actor = make_user(Role.LINE_MANAGER)
    subject = make_user(Role.CASEWORKER)
    event = audit_record(actor=actor, action="user.checked", target=subject,
                         changes={"is_away": [False, True]})
    event.refresh_from_db()
    assert event.actor == actor
    assert event.action == "user.checked"
    assert event.target_id == str(subject.pk)
    assert event.changes == {"is_away": [False, True]}
    assert event.occurred_at.utcoffset().total_seconds() == 0  # stored and read in UTC


def test_audit_viewed_is_an_access_log_entry(make_user):
    actor = make_user(Role.COMPLIANCE)
    subject = make_user(Role.CASEWORKER)
    event = audit_viewed(actor=actor, target=subject, what="record")
    assert event.action == "user.viewed"
    assert event.changes == {"what": "record"}


@pytest.mark.parametrize("statement", [
    "UPDATE audit_auditevent SET action = 'tampered' WHERE id = %s",
    "DELETE FROM audit_auditevent WHERE id = %s",
])
def test_audit_table_refuses_update_and_delete_on_postgresql(make_user, statement):
    event = audit_record(actor=make_user(Role.CASEWORKER), action="contact.logged")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "contact.logged"


def test_orm_delete_is_refused_too(make_user):
    event = audit_record(actor=make_user(Role.CASEWORKER), action="contact.logged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()

"""Partial indexes on the emails still owed, built without blocking writes to due items.

``CREATE INDEX CONCURRENTLY`` is PostgreSQL's; elsewhere (SQLite, ``make run``) the index
is built the ordinary way.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class AddIndexConcurrentlyOnPostgreSQL(AddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_forwards(
                self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_backwards(
                self, app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):

    atomic = False

    dependencies = [
        ('notifications', '0002_email_outbox'),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgreSQL(
            model_name='dueitem',
            index=models.Index(condition=models.Q(('cancelled_at__isnull', True), ('completed_at__isnull', True), ('emailed_at__isnull', True), ('sent_at__isnull', False)), fields=['id'], name='dueitem_email_pending_idx'),
        ),
        AddIndexConcurrentlyOnPostgreSQL(
            model_name='dueitem',
            index=models.Index(condition=models.Q(('cancelled_at__isnull', True), ('completed_at__isnull', True), ('escalated_at__isnull', False), ('escalation_emailed_at__isnull', True)), fields=['id'], name='dueitem_esc_email_pending_idx'),
        ),
    ]

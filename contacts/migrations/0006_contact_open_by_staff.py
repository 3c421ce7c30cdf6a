"""A partial index on each staff member's open contacts ("Contacts to action").

Built with CREATE INDEX CONCURRENTLY on PostgreSQL, so a 5-million-row contacts table stays
writable while it builds (the migration is not atomic); a plain CREATE INDEX elsewhere.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models
from django.db.migrations.operations import AddIndex


class AddIndexConcurrentlyOnPostgres(AddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("contacts", "0005_callback_indexes"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="contact",
            index=models.Index(condition=models.Q(("ended_at__isnull", True)),
                               fields=["staff", "-started_at"], name="contact_open_by_staff"),
        ),
    ]

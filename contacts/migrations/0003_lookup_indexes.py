"""Indexes for the one-box customer lookup on PostgreSQL (see docs/contacts.md).

A no-op on SQLite, which falls back to plain matching. Measured at one million customers
(STACK.md): prefix search on the "C"-collated expression index stops at 20 rows in under a
millisecond; the GIN trigram indexes serve the contains fill-in from 3 characters; the
index on reverse(number_normalised) finds a phone by its last digits.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "customer_name_c_idx": (
        'CREATE INDEX IF NOT EXISTS customer_name_c_idx ON contacts_customer '
        '((lower(family_name) COLLATE "C"), (lower(given_name) COLLATE "C"), id)'
    ),
    "customer_family_trgm_idx": (
        "CREATE INDEX IF NOT EXISTS customer_family_trgm_idx ON contacts_customer "
        "USING gin ((lower(family_name)) gin_trgm_ops)"
    ),
    "customer_given_trgm_idx": (
        "CREATE INDEX IF NOT EXISTS customer_given_trgm_idx ON contacts_customer "
        "USING gin ((lower(given_name)) gin_trgm_ops)"
    ),
    "customerphone_reverse_idx": (
        "CREATE INDEX IF NOT EXISTS customerphone_reverse_idx ON contacts_customerphone "
        "((reverse(number_normalised)) text_pattern_ops)"
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in INDEXES.values():
        schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("contacts", "0002_guided_steps_callbacks_reviews"),
    ]

    operations = [
        TrigramExtension(),  # itself a no-op on databases other than PostgreSQL
        migrations.RunPython(create_indexes, drop_indexes),
    ]

"""The given name first, in "C" order (issue 16): a lookup by a first name alone
("Siobhán") is a prefix search stopping at 21 rows, as the family name's is, rather than a
contains search that read thousands of rows at 1,000,000 customers."""

from django.db import migrations

SQL = ('CREATE INDEX IF NOT EXISTS customer_search_given_c_idx ON contacts_customer '
       '((search_given COLLATE "C"), (search_family COLLATE "C"), id)')


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS customer_search_given_c_idx")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0025_flag_persistent_not_restricted")]

    operations = [migrations.RunPython(create_index, drop_index)]

"""The normalised phone and email keys have one index each (issue 23): the duplicate check
and the email lookup ask for equality, which a plain index answers; Django's pattern-ops
twin of a db_index=True field served nothing and cost 33-42 MB at 1,000,000 customers."""

import re

import pytest
from django.db import connection

from contacts.models import CustomerEmail, CustomerPhone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("model", "column"), [(CustomerEmail, "email_normalised"),
                                               (CustomerPhone, "number_normalised")])
def test_each_normalised_key_has_one_plain_index(model, column):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    on_the_key = {name: c for name, c in constraints.items()
                  if c["index"] and c["columns"] == [column]}
    assert list(on_the_key) == [f"{model._meta.model_name}_norm_idx"], on_the_key


def test_equality_on_each_key_uses_its_plain_index():
    """What the duplicate check (``customer_selectors.likely_duplicates``), merge's
    de-duplication and the email lookup ask: ``key IN (...)``."""
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:  # the plan for a big table, as production's
            cursor.execute("SET LOCAL enable_seqscan = off")
        for table, column, index in (
                ("contacts_customeremail", "email_normalised", "customeremail_norm_idx"),
                ("contacts_customerphone", "number_normalised", "customerphone_norm_idx")):
            explain = "EXPLAIN" if postgresql else "EXPLAIN QUERY PLAN"
            cursor.execute(f"{explain} SELECT customer_id FROM {table} "  # noqa: S608
                           f"WHERE {column} IN (%s, %s)", ["a", "b"])
            plan = "\n".join(str(row) for row in cursor.fetchall())
            # PostgreSQL: "Index Scan using <index>" or "Bitmap Index Scan on <index>";
            # SQLite: "SEARCH <table> USING INDEX <index> (...)".
            assert re.search(rf"(using|on|index) {index}\b", plan, re.I), plan

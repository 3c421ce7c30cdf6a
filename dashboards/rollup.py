"""The contact counts per month behind the reports: the trigger's SQL and a full rebuild.

The trigger (installed by migration 0001 on PostgreSQL) adds a new contact to its row (one
row per month, member of staff and channel), moves it when the contact's month, member of
staff, channel, behaviour class or termination changes (a reclassification, 5; an ended
call, 8.1) and takes it away when the contact is deleted (retention). It runs in the
contact's own transaction, so the counts are never behind the contacts.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from dashboards.models import BEHAVIOUR_COLUMNS, ROLLUP_TIME_ZONE, ContactMonth

TABLE = "dashboards_contactmonth"
TRIGGER = "contact_month_sync"

_MONTH = "date_trunc('month', {row}.started_at AT TIME ZONE '" + ROLLUP_TIME_ZONE + "')::date"
_COLUMNS = ", ".join(ContactMonth.COUNTS)
# Each count column's share of one contact, for the upsert and for the recount.
_ADD = ", ".join(["delta"]
                 + [f"(c.behaviour = '{b}')::int * delta" for b in BEHAVIOUR_COLUMNS]
                 + ["c.terminated::int * delta"])
_RECOUNT = ", ".join(["count(*)"]
                     + [f"count(*) FILTER (WHERE c.behaviour = '{b}')" for b in BEHAVIOUR_COLUMNS]
                     + ["count(*) FILTER (WHERE c.terminated)"])
_ACCUMULATE = ", ".join(f"{col} = {TABLE}.{col} + EXCLUDED.{col}" for col in ContactMonth.COUNTS)

# Constant table, column and zone names only: no user input reaches this SQL.
INSTALL_SQL = f"""
CREATE OR REPLACE FUNCTION contact_month_add(c contacts_contact, delta integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TABLE} (month, staff_id, channel, {_COLUMNS})
    VALUES ({_MONTH.format(row="c")}, c.staff_id, c.channel, {_ADD})
    ON CONFLICT (staff_id, month, channel) DO UPDATE SET {_ACCUMULATE};
END $$;

CREATE OR REPLACE FUNCTION contact_month_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.started_at = NEW.started_at AND OLD.staff_id = NEW.staff_id
       AND OLD.channel = NEW.channel AND OLD.behaviour = NEW.behaviour
       AND OLD.terminated = NEW.terminated THEN
        RETURN NULL;  -- nothing the reports count has changed
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM contact_month_add(OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM contact_month_add(NEW, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION contact_month_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {TABLE};
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS {TRIGGER} ON contacts_contact;
CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON contacts_contact
    FOR EACH ROW EXECUTE FUNCTION contact_month_sync();
DROP TRIGGER IF EXISTS {TRIGGER}_truncate ON contacts_contact;
CREATE TRIGGER {TRIGGER}_truncate AFTER TRUNCATE ON contacts_contact
    FOR EACH STATEMENT EXECUTE FUNCTION contact_month_clear();
"""  # noqa: S608

UNINSTALL_SQL = f"""
DROP TRIGGER IF EXISTS {TRIGGER}_truncate ON contacts_contact;
DROP TRIGGER IF EXISTS {TRIGGER} ON contacts_contact;
DROP FUNCTION IF EXISTS contact_month_clear();
DROP FUNCTION IF EXISTS contact_month_sync();
DROP FUNCTION IF EXISTS contact_month_add(contacts_contact, integer);
"""

REBUILD_SQL = f"""
INSERT INTO {TABLE} (month, staff_id, channel, {_COLUMNS})
SELECT {_MONTH.format(row="c")}, c.staff_id, c.channel, {_RECOUNT}
FROM contacts_contact c
GROUP BY 1, 2, 3
"""  # noqa: S608


def available() -> bool:
    """The counts are kept (PostgreSQL); elsewhere the reports count contacts directly."""
    return connection.vendor == "postgresql"


def install(schema_editor=None) -> None:
    """Create the trigger (PostgreSQL only) and fill the table from the contacts."""
    conn = schema_editor.connection if schema_editor else connection
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cursor:
        cursor.execute(INSTALL_SQL)
    rebuild(conn)


def uninstall(schema_editor=None) -> None:
    conn = schema_editor.connection if schema_editor else connection
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute(UNINSTALL_SQL)


def rebuild(conn=None) -> int:
    """Recount every month from the contacts; returns the number of rows written.

    Holds a SHARE lock on the contacts while it counts, so no contact can change between the
    delete and the insert.
    """
    conn = conn or connection
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        cursor.execute("LOCK TABLE contacts_contact IN SHARE MODE")
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 - constant table name
        cursor.execute(REBUILD_SQL)
        return cursor.rowcount


@contextmanager
def trigger_disabled() -> Iterator[None]:
    """Bulk loads (seed_bench's COPY) skip the per-row trigger; call ``rebuild`` after."""
    if not available():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE contacts_contact DISABLE TRIGGER {TRIGGER}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE contacts_contact ENABLE TRIGGER {TRIGGER}")

"""The demo data (``manage.py load_demo``) for browser tests, loaded once per test process.

``load_demo_data()`` leaves the test database as ``ensure_role_groups()`` and ``load_demo``
would. Running the loaders takes seconds (every demo customer, contact, restriction and log
made through its service, the sweep delivering the demo notices), and 45 browser tests need
the data. So on PostgreSQL the first call in a process runs them and then copies every table
out (``COPY ... TO STDOUT``, binary); a later call, in a later transactional test whose
database is as fresh as the first one's was, copies the same rows back in (after deleting
the content types and permissions that flush's post_migrate made again). The test then
changes its copy as it likes and ends, as every transactional test does, by emptying every
table: nothing stays from one test to the next, and each test starts from exactly the rows
the loaders made.

When the copy would not be the same as loading afresh, the loaders run instead (and their
rows become the new copy): on another database than PostgreSQL; when the local date, the
demo password or the password hashers differ from those the copy was made with; when the
copy is older than ``MAX_AGE`` (the demo data is dated from "now": a reminder due tomorrow, a
call 45 minutes ago); or when the database holds rows that a fresh test database would not
(a fixture of the test made something before asking for the demo data), which the copy
would otherwise erase.
"""

import io
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

MAX_AGE = timedelta(minutes=20)

# The tables a test database may hold rows in before any test wrote to it: those that
# ``migrate`` filled (data migrations, content types, permissions). Recorded by the
# ``django_db_setup`` fixture (tests/conftest.py) right after the database is migrated.
fresh_tables: set[str] = set()


@dataclass
class _Copy:
    key: tuple
    made_at: datetime  # timezone.now(), so a test that moves the clock gets a fresh load
    rows: dict[str, bytes]  # table -> its rows, PostgreSQL's binary COPY format


_copy: _Copy | None = None
loads = restores = 0  # how often each path ran in this process (the tests check the counts)


def _load() -> None:
    from tests.restrictions.conftest import ensure_role_groups

    ensure_role_groups()  # an earlier transactional test may have flushed them
    call_command("load_demo", stdout=io.StringIO())


def _key() -> tuple:
    return (connection.settings_dict["NAME"], timezone.localdate(),
            os.environ.get("DEMO_PASSWORD"), tuple(settings.PASSWORD_HASHERS))


def _tables(cursor) -> list[str]:
    """Every table of the schema that holds rows, except Django's record of migrations."""
    cursor.execute("SELECT c.relname FROM pg_class c WHERE c.relkind = 'r' "
                   "AND c.relnamespace = current_schema()::regnamespace "
                   "AND c.relname <> 'django_migrations' ORDER BY c.relname")
    return [name for (name,) in cursor.fetchall()]


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _tables_with_rows(cursor, tables: list[str]) -> set[str]:
    if not tables:
        return set()
    cursor.execute(" UNION ALL ".join(
        f"SELECT %s WHERE EXISTS (SELECT 1 FROM {_quote(t)})"  # noqa: S608 (names from pg_class)
        for t in tables), tables)
    return {name for (name,) in cursor.fetchall()}


def _fresh_filled(cursor, tables: list[str]) -> set[str] | None:
    """The tables holding rows, if a freshly migrated test database could hold them: none
    outside ``fresh_tables``. None otherwise."""
    filled = _tables_with_rows(cursor, tables)
    return filled if fresh_tables and filled <= fresh_tables else None


def _copy_out(raw, tables: list[str]) -> dict[str, bytes]:
    rows = {}
    with raw.cursor() as cursor:
        for table in tables:
            with cursor.copy(f"COPY {_quote(table)} TO STDOUT (FORMAT binary)") as copy:
                rows[table] = b"".join(bytes(block) for block in copy)
    return rows


def _copy_in(cursor, raw, rows: dict[str, bytes], filled: set[str]) -> None:
    """Replace the rows of every table by the copy's. Only ``filled`` (a subset of
    ``fresh_tables``: content types, permissions) hold rows now, so only those are emptied:
    a DELETE of a few hundred rows, where a TRUNCATE of every table would give each table
    and index a new file (as slow as the flush that ends each transactional test)."""
    # The copied rows already hold what the triggers made of them (the report counts, the
    # audit chain): no trigger fires and no foreign key is checked while they go back in.
    cursor.execute("SET LOCAL session_replication_role = replica")
    for table in sorted(filled):
        cursor.execute(f"DELETE FROM {_quote(table)}")  # noqa: S608 (names from pg_class)
    with raw.cursor() as raw_cursor:
        for table, data in rows.items():
            with raw_cursor.copy(f"COPY {_quote(table)} FROM STDIN (FORMAT binary)") as copy:
                copy.write(data)
    cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    # Sequences never go back: a row made later gets an id above every copied one.
    cursor.execute(
        "SELECT s.oid::regclass::text, t.relname, a.attname FROM pg_class s "
        "JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass "
        "  AND d.refclassid = 'pg_class'::regclass "
        "JOIN pg_class t ON t.oid = d.refobjid "
        "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid "
        "WHERE s.relkind = 'S' AND t.relnamespace = current_schema()::regnamespace")
    for sequence, table, column in cursor.fetchall():
        if table in rows:
            cursor.execute(
                f"SELECT setval(%s, GREATEST((SELECT last_value FROM {sequence}), "  # noqa: S608
                f"(SELECT COALESCE(MAX({_quote(column)}), 1) FROM {_quote(table)})))",
                [sequence])


def _forget_process_caches() -> None:
    """What this process keeps by database id, as after a database that was loaded afresh."""
    from dashboards import selectors
    from notifications import unread

    ContentType.objects.clear_cache()  # the copied content types' ids may be other ones
    selectors._COMPILED.clear()
    unread.clear()


def load_demo_data() -> None:
    """The demo data in the test database, as ``ensure_role_groups()`` and ``load_demo``
    leave it (a transactional test: ``django_db(transaction=True)``)."""
    global _copy, loads, restores
    if connection.vendor != "postgresql":
        _load()
        loads += 1
        return
    key = _key()
    with transaction.atomic(), connection.cursor() as cursor:
        tables = _tables(cursor)
        filled = _fresh_filled(cursor, tables)
        fresh = filled is not None
        if (fresh and _copy is not None and _copy.key == key
                and abs(timezone.now() - _copy.made_at) < MAX_AGE
                and set(_copy.rows) == set(tables)):
            _copy_in(cursor, connection.connection, _copy.rows, filled)
            restores += 1
            restored = True
        else:
            restored = False
    if restored:
        _forget_process_caches()
        return
    _load()
    loads += 1
    if fresh:
        with transaction.atomic(), connection.cursor():
            _copy = _Copy(key, timezone.now(), _copy_out(connection.connection, tables))

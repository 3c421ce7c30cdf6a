"""What the suite's own speed-ups (tests/conftest.py, tests/demo_data.py) must keep true: a
transactional test still ends with every table empty, and the demo data copied back into a
test database is row for row what ``load_demo`` made."""

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import User
from audit.models import AuditEvent
from contacts.models import Customer
from tests import demo_data
from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _contents() -> dict[str, list[tuple]]:
    """Every row of every table (but Django's record of migrations), in a stable order."""
    with connection.cursor() as cursor:
        tables = demo_data._tables(cursor)
        rows = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def _flush() -> None:
    """What ends every transactional test."""
    call_command("flush", verbosity=0, interactive=False)


def test_the_flush_leaves_every_table_empty_and_the_triggers_on(make_user):
    assert connection.vendor == "postgresql"  # the DELETE flush is PostgreSQL's (conftest)
    make_user("Caseworker")
    Customer.objects.create(given_name="Ann", family_name="Flush")
    AuditEvent.objects.create(action="test")
    _flush()
    with connection.cursor() as cursor:
        filled = demo_data._tables_with_rows(cursor, demo_data._tables(cursor))
        cursor.execute("SHOW session_replication_role")
        (role,) = cursor.fetchone()
    # Only what flush's post_migrate makes again (content types, permissions) is left.
    assert filled <= {"django_content_type", "auth_permission"}, filled
    assert role == "origin"
    AuditEvent.objects.create(action="test")
    with pytest.raises(Exception, match="append-only"):
        AuditEvent.objects.all().delete()


def test_the_demo_data_copied_back_is_what_load_demo_made(monkeypatch):
    assert connection.vendor == "postgresql"  # the copy is PostgreSQL's COPY
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    monkeypatch.setattr(demo_data, "_copy", None)  # load afresh here, and copy it
    loads, restores = demo_data.loads, demo_data.restores
    demo_data.load_demo_data()
    assert (demo_data.loads, demo_data.restores) == (loads + 1, restores)
    loaded = _contents()
    assert User.objects.filter(username="caseworker").exists()
    _flush()
    demo_data.load_demo_data()
    assert (demo_data.loads, demo_data.restores) == (loads + 1, restores + 1)
    assert _contents() == loaded
    # New rows get ids above the copied ones.
    highest = Customer.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert Customer.objects.create(given_name="Ann", family_name="After").pk > highest


def test_the_demo_data_is_loaded_afresh_where_a_copy_would_erase_rows(monkeypatch):
    assert connection.vendor == "postgresql"
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    demo_data.load_demo_data()  # a copy now exists in this process
    _flush()
    mine = Customer.objects.create(given_name="Ann", family_name="Before")
    loads = demo_data.loads
    demo_data.load_demo_data()
    assert demo_data.loads == loads + 1
    assert Customer.objects.filter(pk=mine.pk).exists()
    assert User.objects.filter(username="caseworker").exists()

"""Issue 19, finding 8: the application connects as a role that cannot rewrite history.

On PostgreSQL: a fresh login role is given the application's privileges by
``manage.py grant_app_privileges`` (as docker-compose's migrate step does), then this test
connects AS that role and proves it can do the service's work (read, insert, update rows) and
is refused TRUNCATE, DDL, and UPDATE or DELETE on the audit table, and cannot drop the
audit trigger.
"""

import secrets

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def app_role():
    assert connection.vendor == "postgresql"
    name = f"test_app_{secrets.token_hex(4)}"
    password = secrets.token_hex(12)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE '
                       f"PASSWORD '{password}'")
    call_command("grant_app_privileges", name, stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings = connection.settings_dict
    conn = psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
                           dbname=settings["NAME"], user=name, password=password,
                           autocommit=True)
    yield conn
    conn.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{name}"')
        cursor.execute(f'DROP ROLE "{name}"')


def _refused(conn, statement: str) -> bool:
    try:
        conn.execute(statement)
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


def test_the_application_role_does_its_work(app_role):
    app_role.execute("SELECT count(*) FROM contacts_customer")
    app_role.execute("INSERT INTO audit_auditevent (action, target_id, changes, occurred_at) "
                     "VALUES ('test.row', '', '{}', now())")
    app_role.execute("UPDATE accounts_department SET name = name")
    app_role.execute("DELETE FROM django_session WHERE false")


def test_the_application_role_cannot_rewrite_the_audit_trail_or_the_schema(app_role):
    refused = {
        "update audit": "UPDATE audit_auditevent SET action = 'x'",
        "delete audit": "DELETE FROM audit_auditevent",
        "truncate audit": "TRUNCATE audit_auditevent",
        "truncate contacts": "TRUNCATE contacts_contact CASCADE",
        "drop trigger": "DROP TRIGGER audit_auditevent_append_only ON audit_auditevent",
        "alter table": "ALTER TABLE contacts_contact ADD COLUMN x int",
        "drop table": "DROP TABLE contacts_contact",
        "create table": "CREATE TABLE public.sneaky (id int)",
    }
    not_refused = [what for what, statement in refused.items()
                   if not _refused(app_role, statement)]
    assert not not_refused, f"the application role could: {not_refused}"


def test_a_superuser_is_refused_as_the_application_role(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="superuser"):
        call_command("grant_app_privileges", connection.settings_dict["USER"] or "postgres")

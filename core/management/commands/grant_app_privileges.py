"""Give the application's database role exactly what the running service needs (issue 19, 8).

Run by the owner role right after ``migrate`` (docker-compose.yml's ``migrate`` service). The
owner owns every table and runs migrations; the application role (the web, worker and beat
processes) may read and write rows and nothing else: no TRUNCATE, no DDL (it owns nothing and
may not create in the schema), and on the audit table only SELECT and INSERT (beside the
append-only trigger, which only the owner could drop). Default privileges give it the same on
tables later migrations create. Safe to run again. docs/operations.md says how to set it up.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg import sql

AUDIT_TABLE = "audit_auditevent"


def grant_statements(role: str, database: str) -> list[sql.Composed]:
    r, db = sql.Identifier(role), sql.Identifier(database)
    return [
        sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(db),
        sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(db, r),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(r),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(r),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                "TO {}").format(r),
        sql.SQL("REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public "
                "FROM {}").format(r),
        sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(sql.Identifier(AUDIT_TABLE), r),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(r),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, "
                "DELETE ON TABLES TO {}").format(r),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES "
                "TO {}").format(r),
    ]


class Command(BaseCommand):
    help = "Grant the application role row access only (run as the owner after migrate)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("role", help="the application's login role, e.g. contact_app")

    def handle(self, *args, role: str, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are a PostgreSQL matter.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
            row = cursor.fetchone()
            if row is None:
                raise CommandError(f"No role {role!r}: create it first (docs/operations.md).")
            if row[0]:
                raise CommandError(f"{role!r} is a superuser; the application role must not be.")
            for statement in grant_statements(role, connection.settings_dict["NAME"]):
                cursor.execute(statement)
        self.stdout.write(f"Granted {role} row access; audit table SELECT and INSERT only.")

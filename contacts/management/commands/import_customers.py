"""manage.py import_customers FILE.csv --as USERNAME [--dry-run] [--skip-bad-rows]

Imports an existing customer register (format: docs/customer-import.md). Idempotent: a
re-run of the same file changes nothing. Bad rows are reported with their line numbers;
a file with any bad row imports nothing unless --skip-bad-rows.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from contacts.importing import customers_import


class Command(BaseCommand):
    help = "Import customers (phones, emails, case references) from a register CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--as", dest="username", required=True,
                            help="The Administrator the import is recorded as (audit).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Check and count every row; write nothing.")
        parser.add_argument("--skip-bad-rows", action="store_true",
                            help="Import the good rows of a file that has bad ones.")

    def handle(self, *args, file, username, dry_run, skip_bad_rows, **options):
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {username}")

        def progress(done: int, total: int) -> None:
            self.stderr.write(f"  row {done} of {total}")

        try:
            report = customers_import(actor=actor, text=text, file_name=path.name,
                                      dry_run=dry_run, skip_bad_rows=skip_bad_rows,
                                      progress=progress)
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        for line, reason in report.errors:
            self.stdout.write(f"line {line}: {reason}")
        self.stdout.write(report.summary)
        if report.errors and not report.written:
            raise CommandError(f"{len(report.errors)} bad rows: nothing was imported "
                               "(fix them, or use --skip-bad-rows)")

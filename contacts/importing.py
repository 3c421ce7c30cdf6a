"""Importing an organisation's existing customer register from CSV (issue 16).

Used by ``manage.py import_customers FILE.csv`` and the Administrator's upload page; the
file format is documented in ``docs/customer-import.md`` with an example file beside it.
Each row is matched on ``register_id`` (the organisation's own id for the person), so a
re-run of the same file changes nothing and a corrected file updates only what changed.
Every row goes through the same validation as the staff's customer pages
(``contacts.customer_services``) and is audited as ``customer.imported`` /
``customer.import_updated`` with the file's name and the row's line number.

A file with any bad row imports nothing (every bad row reported with its line and
reason), unless ``skip_bad_rows``; ``dry_run`` checks and counts everything and writes
nothing. Only Administrators may import (no superuser exemption).
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.rules import is_administrator
from contacts.constants import Language, PreferredChannel
from contacts.customer_services import _create, _update
from contacts.models import Customer

COLUMNS = ("register_id", "given_name", "family_name", "preferred_name", "address",
           "postcode", "preferred_language", "preferred_channel", "phones", "emails",
           "case_references", "communication_needs")
REQUIRED = ("register_id",)
LIST_SEPARATOR = ";"
ADDRESS_LINE_SEPARATOR = "|"
LANGUAGES = {"": Language.ENGLISH, "en": Language.ENGLISH, "english": Language.ENGLISH,
             "cy": Language.WELSH, "welsh": Language.WELSH, "cymraeg": Language.WELSH}
CHANNELS = {"": "", "none": "", **{c.value: c.value for c in PreferredChannel},
            "telephone": PreferredChannel.PHONE, "post": PreferredChannel.LETTER}


class _RollbackError(Exception):
    """Leave the import's transaction without writing (dry run, or bad rows)."""


@dataclass
class ImportReport:
    file_name: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    dry_run: bool = False
    written: bool = False

    @property
    def summary(self) -> str:
        verb = "would be" if not self.written else "were"
        return (f"{self.rows} rows: {self.created} customers {verb} added, {self.updated} "
                f"{verb} updated, {self.unchanged} unchanged, {len(self.errors)} bad rows"
                + ("" if self.written else ". Nothing was written."))


def may_import(actor) -> bool:
    return bool(getattr(actor, "is_active", False)) and is_administrator.test(actor)


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(LIST_SEPARATOR) if part.strip()]


def _given(row: dict[str, str]) -> dict:
    language = (row.get("preferred_language") or "").strip().lower()
    channel = (row.get("preferred_channel") or "").strip().lower()
    if language not in LANGUAGES:
        raise ValidationError({"preferred_language": "preferred_language must be English (en) "
                                                     "or Welsh (cy)"})
    if channel not in CHANNELS:
        raise ValidationError({"preferred_channel": "preferred_channel must be phone, email, "
                                                    "letter or empty"})
    return {
        "given_name": row.get("given_name", ""), "family_name": row.get("family_name", ""),
        "preferred_name": row.get("preferred_name", ""),
        "address": "\n".join(p.strip() for p in (row.get("address") or "").split(
            ADDRESS_LINE_SEPARATOR)),
        "postcode": row.get("postcode", ""),
        "preferred_language": LANGUAGES[language], "preferred_channel": CHANNELS[channel],
        "communication_needs": row.get("communication_needs", ""),
        "phones": _split(row.get("phones", "")), "emails": _split(row.get("emails", "")),
        "case_references": _split(row.get("case_references", "")),
    }


def _reason(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" if name != "__all__" else
                         " ".join(messages) for name, messages in error.message_dict.items())
    return " ".join(error.messages)


def read_rows(text: str) -> tuple[list[tuple[int, dict]], list[tuple[int, str]]]:
    """The file's rows with their line numbers, or the header's problems."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown:
        problems = [f"the header is missing {', '.join(missing)}"] if missing else []
        if unknown:
            problems.append(f"unknown columns {', '.join(unknown)}")
        return [], [(1, "; ".join(problems) + f". Columns are: {', '.join(COLUMNS)}")]
    reader.fieldnames = header
    return [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k})
            for row in reader], []


def customers_import(*, actor, text: str, file_name: str, dry_run: bool = False,
                     skip_bad_rows: bool = False,
                     progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import (or check) a register file; see the module docstring for the rules."""
    if not may_import(actor):
        raise PermissionDenied("Only an Administrator can import customers.")
    report = ImportReport(file_name=file_name, dry_run=dry_run)
    rows, header_errors = read_rows(text)
    if header_errors:
        report.errors = header_errors
        return report
    report.rows = len(rows)
    try:
        with transaction.atomic():
            _import_rows(actor, rows, report, progress)
            if dry_run or (report.errors and not skip_bad_rows):
                raise _RollbackError
            report.written = True
    except _RollbackError:
        pass
    return report


def _import_rows(actor, rows: Iterable[tuple[int, dict]], report: ImportReport,
                 progress) -> None:
    seen: dict[str, int] = {}
    total = report.rows
    for done, (line, row) in enumerate(rows, start=1):
        key = row.get("register_id", "")
        if not key:
            report.errors.append((line, "register_id is empty"))
        elif key in seen:
            report.errors.append((line, f"register_id {key} is also on line {seen[key]}"))
        else:
            seen[key] = line
            _import_row(actor, key, line, row, report)
        if progress and (done % 500 == 0 or done == total):
            progress(done, total)


def _import_row(actor, key: str, line: int, row: dict, report: ImportReport) -> None:
    note = {"import": {"file": report.file_name, "line": line}}
    try:
        with transaction.atomic():  # a savepoint: a bad row leaves nothing behind
            given = _given(row)
            existing = Customer.objects.filter(register_key=key).first()
            if existing is None:
                _create(actor=actor, given=given, action="customer.imported",
                        register_key=key, note=note)
                report.created += 1
                return
            _, changes = _update(actor=actor, customer=existing, given=given,
                                 action="customer.import_updated", note=note)
            if changes:
                report.updated += 1
            else:
                report.unchanged += 1
    except ValidationError as error:
        report.errors.append((line, _reason(error)))


"""Importing an organisation's existing customer register from CSV (issue 16).

Used by ``manage.py import_customers FILE.csv`` and the Administrator's upload page; the
file format is documented in ``docs/customer-import.md`` with an example file beside it.
Each row is matched on ``register_id`` (the organisation's own id for the person), so a
re-run of the same file changes nothing and a corrected file updates only what changed.
Every row goes through the same validation as the staff's customer pages
(``contacts.customer_services``) and is audited as ``customer.imported`` /
``customer.import_updated`` with the file's name and the row's line number.

A row may also give a restriction (7.2, 12.1) and/or a reasonable adjustment (12.2) already
in force, with its decision date, decider (a member of staff, by username or email) and
review date: recorded through ``restrictions.services_import.restriction_import`` (its
rules, the 12.3 conflict rule among them), audited as ``restriction.imported`` with the
file's name and line, and never imported twice.

A file with any bad row imports nothing (every bad row reported with its line and
reason), unless ``skip_bad_rows``; ``dry_run`` checks and counts everything and writes
nothing. Only Administrators may import (no superuser exemption).
"""

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from accounts.rules import is_administrator
from contacts.constants import Language, PreferredChannel
from contacts.customer_services import _create, _update
from contacts.models import Customer

# Issue 16: a restriction (7.2, 12.1) or reasonable adjustment (12.2) already in force, with
# its decision date, decider and review date (``restrictions.services_import``).
RESTRICTION_COLUMNS = ("restriction_terms", "restriction_phone_times",
                       "restriction_call_length_minutes", "restriction_point_of_contact",
                       "restriction_notes", "restriction_grounds", "restriction_decided_on",
                       "restriction_decided_by", "restriction_review_date")
ADJUSTMENT_COLUMNS = ("adjustment_need", "adjustment_adjustments", "adjustment_notes",
                      "adjustment_grounds", "adjustment_decided_on", "adjustment_decided_by",
                      "adjustment_review_date")
COLUMNS = ("register_id", "given_name", "family_name", "preferred_name", "address",
           "postcode", "preferred_language", "preferred_channel", "phones", "emails",
           "case_references", "communication_needs", *RESTRICTION_COLUMNS,
           *ADJUSTMENT_COLUMNS, "conflicts_acknowledged")
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
    restrictions_created: int = 0
    restrictions_unchanged: int = 0

    @property
    def summary(self) -> str:
        verb = "would be" if not self.written else "were"
        return (f"{self.rows} rows: {self.created} customers {verb} added, {self.updated} "
                f"{verb} updated, {self.unchanged} unchanged; {self.restrictions_created} "
                f"restrictions and adjustments in force {verb} added, "
                f"{self.restrictions_unchanged} already imported; {len(self.errors)} bad rows"
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


YES = {"yes", "y", "true", "1"}
NO = {"", "no", "n", "false", "0"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def _date(value: str, column: str) -> date:
    for shape in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, shape).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    raise ValidationError({column: f"{value} is not a date: give it as 2026-03-31 or "
                                   "31/03/2026"})


def _codes(value: str, choices, column: str) -> list[str]:
    """Codes or labels (any case) of ``choices``, separated by ``;``."""
    by_name = {c.value: c.value for c in choices} | {
        str(c.label).lower(): c.value for c in choices}
    codes, unknown = [], []
    for part in _split(value):
        code = by_name.get(part.lower()) or by_name.get(part)
        if code:
            codes.append(code)
        else:
            unknown.append(part)
    if unknown:
        raise ValidationError({column: f"{', '.join(unknown)} not known; use "
                                       f"{', '.join(choices.values)}"})
    return codes


class _Staff:
    """Members of staff named in the file (username or email), each looked up once."""

    def __init__(self):
        self.found: dict[str, object] = {}

    def __call__(self, value: str, column: str):
        key = value.strip().lower()
        if key not in self.found:
            from accounts.models import User

            people = list(User.objects.filter(Q(username__iexact=key) | Q(email__iexact=key))
                          .order_by("id")[:2])
            self.found[key] = people[0] if len(people) == 1 else len(people)
        person = self.found[key]
        if person == 0:
            raise ValidationError({column: "No member of staff has the username or email "
                                           f"{value}"})
        if person == 2:
            raise ValidationError({column: f"More than one member of staff has {value}: "
                                           "give the username"})
        return person


def _decisions(row: dict, staff: _Staff) -> list:
    """The restriction and adjustment in force that ``row`` gives (none, one or both)."""
    from restrictions.constants import Adjustment, Kind, Term
    from restrictions.services_import import ImportedDecision

    acknowledged = (row.get("conflicts_acknowledged") or "").strip().lower()
    if acknowledged not in YES | NO:
        raise ValidationError({"conflicts_acknowledged": "Must be yes or no"})
    found = []
    for kind, columns in ((Kind.RESTRICTION, RESTRICTION_COLUMNS),
                          (Kind.ADJUSTMENT, ADJUSTMENT_COLUMNS)):
        if not any(row.get(column) for column in columns):
            continue
        for name in ("decided_on", "decided_by", "review_date"):
            if not row.get(f"{kind}_{name}"):
                raise ValidationError({f"{kind}_{name}": (
                    f"Empty: a {kind} in force needs its decision date, decider and review "
                    "date")})
        decision = ImportedDecision(
            kind=kind, decided_on=_date(row[f"{kind}_decided_on"], f"{kind}_decided_on"),
            decided_by=staff(row[f"{kind}_decided_by"], f"{kind}_decided_by"),
            review_date=_date(row[f"{kind}_review_date"], f"{kind}_review_date"),
            grounds=row.get(f"{kind}_grounds") or "Recorded in the previous register",
            terms_notes=row.get(f"{kind}_notes", ""),
            conflicts_acknowledged=acknowledged in YES)
        if kind == Kind.RESTRICTION:
            decision.terms = _codes(row.get("restriction_terms", ""), Term, "restriction_terms")
            decision.phone_times = row.get("restriction_phone_times", "")
            minutes = row.get("restriction_call_length_minutes", "")
            if minutes and not (minutes.isdigit() and 0 < int(minutes) < 1000):
                raise ValidationError({"restriction_call_length_minutes": (
                    "Must be a whole number of minutes")})
            decision.call_length_minutes = int(minutes) if minutes else None
            if row.get("restriction_point_of_contact"):
                decision.point_of_contact = staff(row["restriction_point_of_contact"],
                                                  "restriction_point_of_contact")
        else:
            decision.need = row.get("adjustment_need", "")
            decision.adjustments = _codes(row.get("adjustment_adjustments", ""), Adjustment,
                                          "adjustment_adjustments")
        found.append(decision)
    return found


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
    staff = _Staff()
    total = report.rows
    for done, (line, row) in enumerate(rows, start=1):
        key = row.get("register_id", "")
        if not key:
            report.errors.append((line, "register_id is empty"))
        elif key in seen:
            report.errors.append((line, f"register_id {key} is also on line {seen[key]}"))
        else:
            seen[key] = line
            _import_row(actor, key, line, row, report, staff)
        if progress and (done % 500 == 0 or done == total):
            progress(done, total)


def _import_row(actor, key: str, line: int, row: dict, report: ImportReport,
                staff: _Staff) -> None:
    from restrictions.services_import import restriction_import

    note = {"import": {"file": report.file_name, "line": line}}
    try:
        with transaction.atomic():  # a savepoint: a bad row leaves nothing behind
            given = _given(row)
            decisions = _decisions(row, staff)
            existing = Customer.objects.filter(register_key=key).first()
            if existing is None:
                customer = _create(actor=actor, given=given, action="customer.imported",
                                   register_key=key, note=note)
                counted = "created"
            else:
                customer, changes = _update(actor=actor, customer=existing, given=given,
                                            action="customer.import_updated", note=note)
                counted = "updated" if changes else "unchanged"
            made = [restriction_import(actor=actor, customer=customer, decision=decision,
                                       file_name=report.file_name, line=line)[1]
                    for decision in decisions]
    except ValidationError as error:
        report.errors.append((line, _reason(error)))
        return
    setattr(report, counted, getattr(report, counted) + 1)
    report.restrictions_created += sum(made)
    report.restrictions_unchanged += len(made) - sum(made)


"""Measure the hot pages on seeded data and write the table to docs/PERFORMANCE.md.

    manage.py seed_bench            # once: 1,000,000 customers, 5,000,000 contacts
    manage.py bench --requests 100  # median and p95 server time, queries, ratio to the floor
"""

import platform
import re
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from contacts.models import Contact, Customer
from core.bench import measure, scenarios

TARGETS = {"lookup": 2.0, "page": 3.0}
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


class Command(BaseCommand):
    help = "Benchmark the hot pages (PostgreSQL, after seed_bench) and update PERFORMANCE.md."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--requests", type=int, default=100)
        parser.add_argument("--sweep-items", type=int, default=100_000)
        parser.add_argument("--no-write", action="store_true")
        parser.add_argument("--json", metavar="PATH",
                            help="also write each page's figures as JSON (bench_growth)")
        parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                            help="measure only pages whose name contains TEXT (repeatable; "
                                 "the floor is always measured; implies --no-write)")

    def handle(self, *args, requests: int, sweep_items: int, no_write: bool, only: list[str],
               json: str | None = None, **opts) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("bench needs PostgreSQL; set DATABASE_URL.")
        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS.append("testserver")
        self._vacuum_if_no_autovacuum()
        chosen = scenarios.all_scenarios()
        if only:
            no_write, sweep_items = True, 0
            chosen = [s for s in chosen
                      if s.kind == "floor" or any(t in s.name for t in only)]
        floor_scenario = next(s for s in chosen if s.kind == "floor")
        results = []
        for scenario in chosen:
            self.stdout.write(f"  measuring {scenario.name} ...")
            paired = None if scenario is floor_scenario else floor_scenario
            results.append(measure.run(scenario, requests=requests, floor=paired))
        floor = next(r for r in results if r.scenario.kind == "floor")
        if json:
            _write_json(json, results)
        table = self._table(results, floor)
        explain = self._explain(results)
        sweep = self._sweep(sweep_items) if sweep_items else ""
        report = self._report(table, explain, sweep, requests)
        self.stdout.write(report)
        if not no_write:
            self._write(report)

    def _vacuum_if_no_autovacuum(self) -> None:
        """With autovacuum off (as on the bench machines), dead rows pile up between runs:
        every trigger update of a count row, every ``rebuild_report_counts --check`` (which
        rolls a full recount back). Vacuum first, as autovacuum would have, so each run
        measures the same steady state a production database keeps."""
        with connection.cursor() as cursor:
            cursor.execute("SHOW autovacuum")
            if cursor.fetchone()[0] == "on" or connection.in_atomic_block:
                return
            cursor.execute("VACUUM (ANALYZE)")
        self.stdout.write("  autovacuum is off here: ran VACUUM (ANALYZE) first, as it would")

    def _table(self, results, floor) -> str:
        lines = ["| page | median ms | p95 ms | queries | floor p95 ms alongside | "
                 "median / floor | p95 / floor | target (p95) | seq scans on big tables |",
                 "|---|---:|---:|---:|---:|---:|---:|---|---|"]
        for r in results:
            target = TARGETS.get(r.scenario.kind)
            ratio = r.p95 / r.floor_p95
            verdict = "" if target is None else (
                f"within {target:g}x" if ratio <= target else f"**over {target:g}x**")
            scans = sorted({t for sql in r.sql for t in measure.seq_scans_on_big_tables(sql)})
            lines.append(
                f"| {r.scenario.name} | {r.median:.1f} | {r.p95:.1f} | {r.queries} | "
                f"{r.floor_p95:.1f} | {r.median / r.floor_median:.2f} | {ratio:.2f} | "
                f"{verdict} | {', '.join(scans) or 'none'} |")
        return "\n".join(lines)

    def _explain(self, results) -> str:
        parts = []
        for r in results:
            if r.scenario.kind != "lookup":
                continue
            hot = [sql for sql in r.sql if "contacts_customer" in sql and sql.startswith("SELECT")]
            if hot:
                sql = max(hot, key=len)
                parts.append(f"#### {r.scenario.name}\n\n```\n{measure.explain_analyze(sql)}\n```")
        return "\n\n".join(parts)

    def _sweep(self, items: int) -> str:
        from io import StringIO

        out = StringIO()
        call_command("bench_sweep", items=items, stdout=out)
        return out.getvalue()

    def _report(self, table: str, explain: str, sweep: str, requests: int) -> str:
        customers = Customer.objects.count()
        contacts = Contact.objects.count()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            pg = cursor.fetchone()[0]
        return (
            f"{START}\n## Page benchmark (`manage.py bench`)\n\n"
            f"Measured {timezone.localtime():%Y-%m-%d %H:%M} on {platform.node()} "
            f"({platform.machine()}, {_cores()} cores), Python {platform.python_version()}, "
            f"PostgreSQL {pg}; {customers:,} customers, {contacts:,} contacts; "
            f"{requests} requests per page after 5 warm-up requests, in-process "
            f"(full middleware stack, no network). Each page request follows a floor request, "
            f"and each ratio compares the page with the floor requests measured alongside "
            f"it, so a busy machine slows both alike.\n\n{table}\n\n"
            f"### Reminder sweep\n\n```\n{sweep.strip()}\n```\n\n"
            f"### EXPLAIN ANALYZE of the lookup queries\n\n{explain}\n{END}\n")

    def _write(self, report: str) -> None:
        path = Path(settings.BASE_DIR) / "docs" / "PERFORMANCE.md"
        text = path.read_text() if path.exists() else "# Performance\n"
        if START in text:
            text = re.sub(re.escape(START) + ".*?" + re.escape(END) + "\n?", report, text,
                          flags=re.S)
        else:
            text = text.rstrip() + "\n\n" + report
        path.write_text(text)
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))


def _write_json(path: str, results) -> None:
    import json

    scans = {r.scenario.name: sorted({t for sql in r.sql
                                      for t in measure.seq_scans_on_big_tables(sql)})
             for r in results}
    Path(path).write_text(json.dumps({
        "customers": Customer.objects.count(), "contacts": Contact.objects.count(),
        "pages": {r.scenario.name: {"median_ms": r.median, "p95_ms": r.p95,
                                    "queries": r.queries, "floor_p95_ms": r.floor_p95,
                                    "seq_scans": scans[r.scenario.name]}
                  for r in results}}, indent=2))


def _cores() -> int:
    import os

    return os.cpu_count() or 0

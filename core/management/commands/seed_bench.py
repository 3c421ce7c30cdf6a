"""Seed realistic benchmark data fast (PostgreSQL COPY): customers, contacts and the rest.

``manage.py seed_bench --customers 1000000 --contacts 5000000`` (the defaults). Repeatable
from ``--seed``. Rows are appended with explicit ids after the current maximum, then each
sequence is moved on, so the command can run on a database that already holds demo data.
"""

import random
import time
from collections.abc import Iterator

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.bench import (  # noqa: F401 - seed_more and seed_callbacks register seeders
    seed_callbacks,
    seed_more,
    seeding,
)
from dashboards import rollup

STAFF_PER_CUSTOMERS = 5_000  # customers per member of staff when --staff is not given


class Command(BaseCommand):
    help = "Seed benchmark data with PostgreSQL COPY (1M customers, 5M contacts by default)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--customers", type=int, default=1_000_000)
        parser.add_argument("--contacts", type=int, default=5_000_000)
        parser.add_argument(
            "--staff", type=int, default=None,
            help="Members of staff (default one per 5,000 customers, at least 20: 200 at "
                 "1,000,000). A smaller organisation has fewer staff, not idler ones, so "
                 "each person's callbacks and review queue are the same size at every "
                 "size (issue 23's growth figures compare data volume, not workload).")
        parser.add_argument("--seed", type=int, default=20101)
        parser.add_argument("--only-extra", action="store_true",
                            help="Only the later apps' seeders, on already seeded customers.")

    def handle(self, *args, customers: int, contacts: int, staff: int, seed: int,
               only_extra: bool, **opts):
        if connection.vendor != "postgresql":
            raise CommandError("seed_bench needs PostgreSQL (it uses COPY); set DATABASE_URL.")
        staff = staff or max(20, customers // STAFF_PER_CUSTOMERS)
        started = time.monotonic()
        rng = random.Random(seed)
        plan = seeding.Plan(customers=customers, contacts=contacts, staff=staff, rng=rng,
                            seed=seed)
        steps = seeding.run_extra(plan) if only_extra else seeding.run(plan)
        # The reports' monthly counts: one recount after the load is far quicker than the
        # per-row trigger firing five million times during COPY.
        with rollup.trigger_disabled():
            for label, progress in steps:
                self._progress(label, progress)
            self._progress("report counts", _recount())
        with connection.cursor() as cursor:
            # VACUUM as autovacuum would soon after a bulk load (the CI/bench PostgreSQL runs
            # with autovacuum off): it sets the visibility map, without which PostgreSQL
            # cannot answer from a covering index alone. Not possible inside a transaction
            # (the tests' small seeds), where ANALYZE alone runs.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        what = ("the later apps' records" if only_extra
                else f"{customers:,} customers and {contacts:,} contacts")
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {what} in {time.monotonic() - started:,.0f} s"))

    def _progress(self, label: str, steps: Iterator[tuple[int, int]]) -> None:
        t0 = time.monotonic()
        done = total = 0
        for done, total in steps:
            width = 30
            filled = int(width * done / max(total, 1))
            self.stdout.write(f"\r  {label:<22} [{'#' * filled}{'.' * (width - filled)}] "
                              f"{done:>10,}/{total:,}", ending="")
            self.stdout.flush()
        self.stdout.write(f"\r  {label:<22} {done:>10,} rows in {time.monotonic() - t0:6.1f} s"
                          + " " * 30)


def _recount() -> Iterator[tuple[int, int]]:
    rows = rollup.rebuild()
    yield rows, rows

"""Benchmark both delivery stages: ``manage.py bench_sweep --items 100000`` (PostgreSQL only).

Creates due items in bulk (plus already-sent ones, so the table looks lived-in), shows the
EXPLAIN (ANALYZE, BUFFERS) of one delivery statement, then times separately

1. the sweep: every due item into the inbox (one statement per batch), and
2. the email drain: every email those deliveries owe, built and serialised as SMTP would,
   in ``--drain-processes`` processes at once (each its own connection and core),

prints items per second for each (wall and per CPU second of the process doing it) and
removes everything it created. Run it on a scratch database.
"""

import multiprocessing
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.dummy import EmailBackend as DummyBackend
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.utils import timezone

from accounts.models import User
from notifications.models import DueItem
from notifications.services import (
    _DELIVER_SQL,
    deliver_parameters,
    due_unsent,
    emails_owed,
    send_pending_emails,
    sweep,
)

CHUNK = 5000


class RenderOnlyBackend(BaseEmailBackend):
    """Builds and serialises every message (as SMTP would) but sends it nowhere."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            message.message().as_bytes()
        return len(email_messages)


def _backend(email: str):
    return {"build": RenderOnlyBackend(), "skip": DummyBackend(), "backend": None}[email]


def _drain(email: str, batch_size: int | None, start, results) -> None:
    """One drain process: wait for the start, drain, report (sent, failed, wall, CPU)."""
    connections.close_all()  # never share the parent's database connection
    start.wait()
    started, cpu_started = time.perf_counter(), time.process_time()
    result = send_pending_emails(batch_size=batch_size, connection=_backend(email))
    results.put((result.sent, result.failed, time.perf_counter() - started,
                 time.process_time() - cpu_started))
    connections.close_all()


class Command(BaseCommand):
    help = "Time the notifications sweep and the email drain over many due items."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--items", type=int, default=100_000, help="due items to sweep")
        parser.add_argument("--sent", type=int, default=None,
                            help="already-sent items in the table too (default: --items)")
        parser.add_argument("--batch-size", type=int, default=None,
                            help="sweep batch (default NOTIFICATIONS_SWEEP_BATCH_SIZE)")
        parser.add_argument("--email-batch-size", type=int, default=None,
                            help="drain batch (default NOTIFICATIONS_EMAIL_BATCH_SIZE)")
        parser.add_argument("--drain-processes", type=int, default=1,
                            help="email drains running at once, one process each")
        parser.add_argument(
            "--email", choices=["build", "skip", "backend"], default="build",
            help="build: render and serialise each email as SMTP would, send nowhere "
                 "(default); skip: render the email but do not serialise it; "
                 "backend: send through the configured email backend")

    def handle(self, *args, items: int, sent: int | None, batch_size: int | None,
               email_batch_size: int | None, drain_processes: int, email: str,
               **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("bench_sweep needs PostgreSQL (set DATABASE_URL)")
        waiting = due_unsent(timezone.now()).count() + emails_owed().count()
        if waiting:
            raise CommandError(f"{waiting} items are already due or owe an email here; the "
                               "figures would include them: use a scratch database")
        batch_size = batch_size or settings.NOTIFICATIONS_SWEEP_BATCH_SIZE
        run = uuid.uuid4().hex[:8]
        user = User.objects.create(username=f"bench-{run}", email=f"bench-{run}@example.org",
                                   first_name="Bench", last_name="Mark")
        try:
            self._create(run, user, items, items if sent is None else sent)
            self._explain(batch_size)
            self._time_sweep(batch_size)
            self._time_drain(email, email_batch_size, drain_processes)
        finally:
            self._clean_up(run, user)

    def _time_sweep(self, batch_size: int) -> None:
        started, cpu_started = time.perf_counter(), time.process_time()
        result = sweep(batch_size=batch_size)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        self.stdout.write(self.style.SUCCESS(
            f"Sweep (delivery to the inbox): {result.delivered} items in {elapsed:.2f} s: "
            f"{result.delivered / elapsed:,.0f} items/second (batches of {batch_size}). "
            f"The sweep process used {cpu:.2f} CPU seconds; the rest is PostgreSQL."))

    def _time_drain(self, email: str, batch_size: int | None, processes: int) -> None:
        if processes == 1:  # in this process (and its transaction, as under a test)
            started, cpu_started = time.perf_counter(), time.process_time()
            result = send_pending_emails(batch_size=batch_size, connection=_backend(email))
            elapsed = time.perf_counter() - started
            figures = [(result.sent, result.failed, elapsed, time.process_time() - cpu_started)]
        else:
            figures, elapsed = self._drain_in_processes(email, batch_size, processes)
        total = sum(f[0] for f in figures)
        per_process = "; ".join(
            f"{sent:,} in {wall:.2f} s = {sent / wall:,.0f}/s, {sent / cpu:,.0f} per CPU second"
            for sent, _, wall, cpu in figures)
        self.stdout.write(self.style.SUCCESS(
            f"Email drain ({processes} process{'es' if processes > 1 else ''}, email: "
            f"{email}): {total} emails in {elapsed:.2f} s: {total / elapsed:,.0f} "
            f"items/second in all (failed {sum(f[1] for f in figures)}).\n"
            f"Per process: {per_process}"))

    def _drain_in_processes(self, email: str, batch_size: int | None,
                            processes: int) -> tuple[list[tuple], float]:
        """Start ``processes`` drains at once, each with its own database connection."""
        if connection.in_atomic_block:
            raise CommandError("--drain-processes needs the items committed: not in a "
                               "transaction")
        context = multiprocessing.get_context("fork")
        start, results = context.Event(), context.Queue()
        connections.close_all()
        workers = [context.Process(target=_drain, args=(email, batch_size, start, results))
                   for _ in range(processes)]
        for worker in workers:
            worker.start()
        started = time.perf_counter()
        start.set()
        figures = [results.get(timeout=3600) for _ in workers]
        elapsed = time.perf_counter() - started
        for worker in workers:
            worker.join()
        return figures, elapsed

    def _create(self, run: str, user: User, items: int, sent: int) -> None:
        now = timezone.now()
        started = time.perf_counter()
        for first in range(0, items + sent, CHUNK):
            DueItem.objects.bulk_create([
                DueItem(kind="general", key=f"bench:{run}:{n}", recipient=user,
                        due_at=now - timedelta(seconds=n % 86_400),
                        message=f"Benchmark reminder {n}",
                        sent_at=now if n >= items else None,
                        emailed_at=now if n >= items else None)
                for n in range(first, min(first + CHUNK, items + sent))
            ])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE notifications_dueitem")
        self.stdout.write(f"Created {items} due and {sent} sent items in "
                          f"{time.perf_counter() - started:.1f} s")

    def _explain(self, batch_size: int) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + _DELIVER_SQL,
                           deliver_parameters(timezone.now(), None, batch_size))
            plan = "\n".join(row[0] for row in cursor.fetchall())
            transaction.set_rollback(True)  # EXPLAIN ANALYZE delivered a batch: undo it
        self.stdout.write(f"\nOne delivery statement (batch of {batch_size}):\n{plan}\n")

    def _clean_up(self, run: str, user: User) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM notifications_inboxentry WHERE recipient_id = %s",
                           [user.pk])
            cursor.execute("DELETE FROM notifications_dueitem WHERE recipient_id = %s",
                           [user.pk])
            user.delete()
        self.stdout.write(f"Removed the benchmark's items and user bench-{run}")

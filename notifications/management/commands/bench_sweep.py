"""Benchmark the sweep: ``manage.py bench_sweep --items 100000`` (PostgreSQL only).

Creates due items in bulk (plus already-sent ones, so the table looks lived-in), shows the
EXPLAIN (ANALYZE, BUFFERS) of the sweep's locking SELECT, times one full sweep, prints
items per second and removes everything it created. Run it on a scratch database.
"""

import time
import uuid
from datetime import timedelta

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.dummy import EmailBackend as DummyBackend
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from notifications.models import DueItem
from notifications.services import due_unsent, locked_batch, sweep

CHUNK = 5000


class RenderOnlyBackend(BaseEmailBackend):
    """Builds and serialises every message (as SMTP would) but sends it nowhere."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            message.message().as_bytes()
        return len(email_messages)


class Command(BaseCommand):
    help = "Time the notifications sweep over many due items and show its query plan."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--items", type=int, default=100_000, help="due items to sweep")
        parser.add_argument("--sent", type=int, default=None,
                            help="already-sent items in the table too (default: --items)")
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument(
            "--email", choices=["build", "skip", "backend"], default="build",
            help="build: render and serialise each email as SMTP would, send nowhere "
                 "(default); skip: render the email but do not serialise it; "
                 "backend: send through the configured email backend")

    def handle(self, *args, items: int, sent: int | None, batch_size: int | None,
               email: str, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("bench_sweep needs PostgreSQL (set DATABASE_URL)")
        run = uuid.uuid4().hex[:8]
        user = User.objects.create(username=f"bench-{run}", email=f"bench-{run}@example.org",
                                   first_name="Bench", last_name="Mark")
        try:
            self._create(run, user, items, items if sent is None else sent)
            self._explain("The sweep's SELECT before the sweep", batch_size)
            started, cpu_started = time.perf_counter(), time.process_time()
            backend = {"build": RenderOnlyBackend(), "skip": DummyBackend(), "backend": None}
            result = sweep(batch_size=batch_size, connection=backend[email])
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
            self._explain("The same SELECT after the sweep (nothing left to do)", batch_size)
            self.stdout.write(self.style.SUCCESS(
                f"Swept {result.delivered} items in {elapsed:.2f} s: "
                f"{result.delivered / elapsed:,.0f} items/second "
                f"(failed {result.failed}; email: {email})\n"
                f"This process used {cpu:.2f} CPU seconds: {result.delivered / cpu:,.0f} items "
                f"per CPU second (the rest of the wall time is PostgreSQL and waiting for a core)"
            ))
        finally:
            self._clean_up(run, user)

    def _create(self, run: str, user: User, items: int, sent: int) -> None:
        now = timezone.now()
        started = time.perf_counter()
        for first in range(0, items + sent, CHUNK):
            DueItem.objects.bulk_create([
                DueItem(kind="general", key=f"bench:{run}:{n}", recipient=user,
                        due_at=now - timedelta(seconds=n % 86_400),
                        message=f"Benchmark reminder {n}",
                        sent_at=now if n >= items else None)
                for n in range(first, min(first + CHUNK, items + sent))
            ])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE notifications_dueitem")
        self.stdout.write(f"Created {items} due and {sent} sent items in "
                          f"{time.perf_counter() - started:.1f} s")

    def _explain(self, title: str, batch_size: int | None) -> None:
        from django.conf import settings

        size = batch_size or settings.NOTIFICATIONS_SWEEP_BATCH_SIZE
        with transaction.atomic():
            plan = locked_batch(due_unsent(timezone.now()), Q(), size).explain(
                analyze=True, buffers=True)
            transaction.set_rollback(True)  # EXPLAIN ANALYZE took the locks: let them go
        self.stdout.write(f"\n{title} (batch of {size}):\n{plan}\n")

    def _clean_up(self, run: str, user: User) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM notifications_inboxentry WHERE recipient_id = %s",
                           [user.pk])
            cursor.execute("DELETE FROM notifications_dueitem WHERE recipient_id = %s",
                           [user.pk])
            user.delete()
        self.stdout.write(f"Removed the benchmark's items and user bench-{run}")

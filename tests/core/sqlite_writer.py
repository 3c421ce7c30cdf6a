"""One process of the embedded default writing to a shared SQLite file, for a few seconds.

Run by ``test_sqlite_embedded`` as ``python -m tests.core.sqlite_writer ROLE SECONDS`` with
``DATABASE_URL`` naming the file: ``web`` schedules reminders in transactions that read first
(as a request's service does), ``worker`` drains the email outbox and ``beat`` sweeps due
items, the three writers ``make run`` starts. Any "database is locked" ends the process with
a traceback and a non-zero status; otherwise it prints how many rounds it did.
"""

import os
import sys
import time
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from notifications.email_outbox import send_pending_emails  # noqa: E402
from notifications.services import schedule, sweep  # noqa: E402


def main(role: str, seconds: float) -> int:
    user = User.objects.get(username="writer")
    deadline, rounds = time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        if role == "web":
            with transaction.atomic():
                User.objects.filter(pk=user.pk).exists()  # read, then write
                schedule(kind="general", key=f"sqlite-{os.getpid()}-{rounds}", recipient=user,
                         due_at=timezone.now() + timedelta(milliseconds=200), message="Notice")
        elif role == "worker":
            send_pending_emails(batch_size=5)
        else:
            sweep()
        rounds += 1
    print(rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2])))

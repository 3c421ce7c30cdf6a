"""A real Celery worker for the reliability tests (started as a subprocess, never imported).

    python tests/notifications/worker.py --name a --mail-dir DIR [--beat SCHEDULE_FILE]
        [--slow SECONDS] [--slow-batch SECONDS] [--block MARKER_FILE]
        [--block-sweep MARKER_FILE]

Broker and database come from the environment (``REDIS_URL``, ``DATABASE_URL``), as in
production. Emails are written to files in ``--mail-dir`` so the test can count them.
The hooks are test-only and live here, not in the application: ``--slow`` makes each email
take a while (so two drains overlap) and ``--slow-batch`` each delivery batch (so two sweeps
overlap); ``--block`` writes the marker file and then blocks while building an email,
holding the drain's row lock, and ``--block-sweep`` does the same straight after a delivery
statement, inside its uncommitted transaction, until the test kills the process.
"""

import argparse
import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

from config.celery import app  # noqa: E402
from notifications import emails, services  # noqa: E402


def _block_until_killed(marker: str) -> None:
    Path(marker).write_text(str(os.getpid()))
    while True:  # killed here by the test, lock held, transaction open
        signal.pause()


def _install_hooks(args: argparse.Namespace) -> None:
    build, deliver_batch = emails.build, services._deliver_batch

    def build_with_hooks(**kwargs):
        if args.block:
            _block_until_killed(args.block)
        time.sleep(args.slow)
        return build(**kwargs)

    def deliver_batch_with_hooks(*batch_args):
        result = deliver_batch(*batch_args)
        if args.block_sweep and result[0]:
            _block_until_killed(args.block_sweep)
        time.sleep(args.slow_batch)
        return result

    emails.build = build_with_hooks
    services._deliver_batch = deliver_batch_with_hooks
    if args.block_export:  # issue 19, 5: a subject access export that dies half-way
        from privacy import export

        def build_zip_blocked(customer, progress=None):
            if progress:
                progress(40)
            _block_until_killed(args.block_export)

        export.build_zip = build_zip_blocked


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--name", required=True)
    parser.add_argument("--mail-dir", required=True)
    parser.add_argument("--beat", help="also run beat, with this schedule file")
    parser.add_argument("--slow", type=float, default=0.0)
    parser.add_argument("--slow-batch", type=float, default=0.0)
    parser.add_argument("--block")
    parser.add_argument("--block-sweep")
    parser.add_argument("--block-export")
    args = parser.parse_args()

    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = args.mail_dir
    _install_hooks(args)
    argv = ["worker", "--pool=solo", "--loglevel=INFO", f"--hostname={args.name}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat"]
    if args.beat:
        argv += ["--beat", f"--schedule={args.beat}"]
    app.worker_main(argv)


if __name__ == "__main__":
    main()

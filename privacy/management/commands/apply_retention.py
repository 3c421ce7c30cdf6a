"""``manage.py apply_retention [--dry-run]``: anonymise or delete what has passed its period.

Prints, per model, how many records would be (or were) anonymised or deleted and why, and
what holds kept back. Without ``--dry-run`` it works in batches (each its own transaction,
its rows locked with SKIP LOCKED, one audit row of counts per batch), so it can be stopped
and run again, and two runs at once share the work. ``--dry-run`` writes nothing.
"""

from datetime import date, datetime, time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from privacy import services, sweep


class Command(BaseCommand):
    help = "Apply the retention rules (privacy/registry.py); --dry-run only reports."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help="Report what would change; change and record nothing.")
        parser.add_argument("--batch-size", type=int,
                            default=settings.PRIVACY_RETENTION_BATCH_SIZE)
        parser.add_argument("--as-of", type=date.fromisoformat, metavar="YYYY-MM-DD",
                            help="With --dry-run: the plan as it would be on that day.")

    def handle(self, *args, dry_run: bool, batch_size: int, as_of: date | None,
               **options) -> None:
        if as_of and not dry_run:
            raise CommandError("--as-of only goes with --dry-run: a run applies today's rules")
        now = timezone.now()
        if as_of:
            now = datetime.combine(as_of, time(12), tzinfo=timezone.get_current_timezone())
        lines = sorted(sweep.plan(now), key=lambda line: line.rule.model)
        heading = "would change (dry run: nothing is changed or recorded)" if dry_run else (
            "to change")
        self.stdout.write(f"Retention at {now:%Y-%m-%d %H:%M %Z}: records {heading}")
        self.stdout.write(f"{'model':<36} {'action':<10} {'records':>8}  why")
        for line in lines:
            held = "; held back: " + ", ".join(
                f"{count} ({label.lower()})" for label, count in line.held.items()
            ) if line.held else ""
            self.stdout.write(f"{line.rule.model:<36} {line.action:<10} "
                              f"{line.count:>8}  {line.reason}{held}")
        total = sum(line.count for line in lines)
        if dry_run:
            self.stdout.write(f"Total: {total} records would change.")
            return

        def progress(rule, done: int) -> None:
            self.stdout.write(f"  {rule.model}: {done} {rule.action}d so far")

        run = services.retention_run(now=now, batch_size=batch_size, progress=progress)
        done = sum(run.applied_report.values())
        self.stdout.write(self.style.SUCCESS(
            f"Done: {done} records changed (retention run {run.pk})."))

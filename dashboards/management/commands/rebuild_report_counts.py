"""Recount the reports' monthly counts from the contacts, callbacks and restrictions
(PostgreSQL).

The triggers keep the counts exact; this is for after a bulk load with the triggers off, or
to check them: ``--check`` recounts inside a transaction it rolls back and says whether the
kept counts were right.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dashboards import rollup
from dashboards.models import (
    CallbackMonth,
    CallbackStaffMonth,
    ContactMonth,
    ContactStaffMonth,
    RestrictionSpan,
)


def _snapshot() -> dict:
    return {
        "contacts": set(ContactMonth.objects.filter(contacts__gt=0).values_list(
            "staff_id", "month", "channel", *ContactMonth.COUNTS)),
        "callbacks": set(CallbackMonth.objects.filter(callbacks__gt=0).values_list(
            "assigned_to_id", "month", "channel", *CallbackMonth.COUNTS)),
        "contacts, all channels": set(ContactStaffMonth.objects.filter(contacts__gt=0)
                                      .values_list("staff_id", "month",
                                                   *ContactStaffMonth.COUNTS)),
        "callbacks, all channels": set(CallbackStaffMonth.objects.filter(callbacks__gt=0)
                                       .values_list("assigned_to_id", "month",
                                                    *CallbackStaffMonth.COUNTS)),
        # Rows counting nothing (a record lifted, then deleted) are left out.
        "restrictions": set(RestrictionSpan.objects.exclude(
            restriction=0, adjustment=0, active_restriction=0, active_adjustment=0)
            .values_list("requested_by_id", "department_id", "first_month", "last_month",
                         *RestrictionSpan.COUNTS)),
    }


class Command(BaseCommand):
    help = "Recount the reports' monthly contact, callback and restriction counts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true",
                            help="only say whether the kept counts match a recount")

    def handle(self, *args, check: bool, **opts) -> None:
        if not rollup.available():
            raise CommandError("The monthly counts are kept on PostgreSQL only.")
        if not check:
            rows = rollup.rebuild()
            self.stdout.write(self.style.SUCCESS(f"Recounted: {rows:,} monthly rows."))
            return
        kept = _snapshot()
        with transaction.atomic():
            rollup.rebuild()
            recounted = _snapshot()
            transaction.set_rollback(True)
        wrong = [name for name in kept if kept[name] != recounted[name]]
        if wrong:
            raise CommandError(f"The kept counts differ from a recount: {', '.join(wrong)}. "
                               "Run rebuild_report_counts without --check.")
        self.stdout.write(self.style.SUCCESS("The kept counts match a recount."))

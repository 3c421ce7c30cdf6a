"""Get the bench database ready for ``make load``: deciders who can sign in, requests to decide.

The load test's Heads of Department approve restriction requests (7.2), so before each run
this command:

- makes sure the bench department has a Head and an acting Head (a recorded appointment
  running today) who sign in with
  ``BENCH_PASSWORD``, each with a confirmed authenticator (TOTP) device whose key is new for
  this run (two-factor sign-in is required for Heads of Department);
- tops the requests waiting for them up to ``--waiting`` (default 200), each for a bench
  customer who has no restriction or adjustment yet, so there is always something to decide.

It prints one ``username:hex-key`` pair per decider on one line for ``scripts/load.sh`` to
hand to locust. The keys open bench accounts in the bench database only, and are replaced on
the next run. PostgreSQL only, like the rest of the bench.
"""

import os
import secrets

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.constants import Role
from accounts.models import ActingHeadOfDepartment, User
from accounts.selectors import acting_in_force
from contacts.models import Customer
from core.bench.scenarios import head_of_department, hot_customer
from restrictions.constants import Kind, Status, Term
from restrictions.models import Restriction

DEVICE_NAME = "load test"


def _decider_with_new_key(user: User, password: str) -> str:
    user.password = password
    user.save(update_fields=["password"])
    TOTPDevice.objects.filter(user=user, name=DEVICE_NAME).delete()
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True,
                                       key=secrets.token_hex(20))
    return f"{user.username}:{device.key}"


def deputy_for(head: User) -> User:
    """The bench department's acting Head (made on first use), appointed for today (12.1)."""
    department = head.department
    deputy = User.objects.filter(username="bench-deputy").first()
    if deputy is None:
        deputy = User.objects.create(username="bench-deputy", first_name="Bench",
                                     last_name="Deputy", department=department)
        deputy.groups.add(Group.objects.get_or_create(name=Role.HEAD_OF_DEPARTMENT)[0])
    today = timezone.localdate()
    if not acting_in_force(today).filter(department=department, acting_head=deputy).exists():
        # bench tooling, not a member of staff: the row the appointment service would write
        ActingHeadOfDepartment.objects.create(
            department=department, acting_head=deputy, appointed_by=head, starts_on=today,
            ends_on=today + timezone.timedelta(days=30), reason="Load test")
    return deputy


def top_up_waiting(head: User, waiting: int) -> int:
    """Requests waiting in the bench department brought up to ``waiting``; returns how many
    were added. Each is for a bench customer with no restriction or adjustment at all."""
    department = head.department
    have = Restriction.objects.filter(department=department, status=Status.SUBMITTED).count()
    missing = max(0, waiting - have)
    if not missing:
        return 0
    requester = (User.objects.filter(username__startswith="bench-manager-",
                                     department=department).order_by("id").first())
    if requester is None:
        raise CommandError("No bench data: run `manage.py seed_bench` first.")
    hot = hot_customer()  # the benchmark's: a decision would change what it measures
    customers = list(Customer.objects.filter(reference__startswith="CUS-B", restrictions=None)
                     .exclude(pk=getattr(hot, "pk", None))
                     .order_by("id").values_list("id", flat=True)[:missing])
    today, now = timezone.localdate(), timezone.now()
    Restriction.objects.bulk_create(
        Restriction(customer_id=customer, kind=Kind.RESTRICTION, status=Status.SUBMITTED,
                    requested_by=requester, department=department,
                    grounds="Repeated abusive calls about a closed case.",
                    terms=[Term.WRITTEN_ONLY], start_date=today,
                    review_date=today + timezone.timedelta(days=90), submitted_at=now)
        for customer in customers)
    return len(customers)


class Command(BaseCommand):
    help = "Ready the bench database for make load: deciders with new keys, requests waiting."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--waiting", type=int, default=200,
                            help="requests to keep waiting for a decision")

    def handle(self, *args, waiting: int, **opts) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("prepare_load needs the bench database (PostgreSQL).")
        password = make_password(os.environ.get("BENCH_PASSWORD", "bench-password-2026"))
        with transaction.atomic():
            head = head_of_department()
            deciders = [_decider_with_new_key(user, password)
                        for user in (head, deputy_for(head))]
            added = top_up_waiting(head, waiting)
        self.stderr.write(f"prepare_load: {added} requests added, {len(deciders)} deciders")
        self.stdout.write(",".join(deciders))

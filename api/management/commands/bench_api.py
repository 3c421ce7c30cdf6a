"""Time the screen-pop lookup against the lookup page it must keep up with (issue 20).

    manage.py seed_bench --customers 100000 --contacts 200000   # once, PostgreSQL
    manage.py bench_api --requests 200

Both go through Django's test client with the full middleware stack, alternating request by
request so a shared machine's load falls on both alike: the lookup page for a phone number
as a signed-in caseworker, and ``GET /api/v1/callers?phone=`` with a client key (which also
works out banners and allowed channels for every match).
"""

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from accounts.constants import Role
from accounts.models import User
from api.services import client_register
from contacts.models import CustomerPhone
from core.bench.measure import signed_in_client
from restrictions.models import Restriction


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Median and p95 of the caller lookup API against the lookup page."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--requests", type=int, default=200)

    def handle(self, *args, requests: int, **opts) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("bench_api needs PostgreSQL; set DATABASE_URL.")
        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS.append("testserver")
        caseworker = User.objects.filter(groups__name=Role.CASEWORKER, is_active=True).first()
        admin = User.objects.filter(groups__name=Role.ADMINISTRATOR, is_active=True).first()
        if caseworker is None or admin is None:
            raise CommandError("Needs a caseworker and an administrator (seed_bench or demo).")
        restricted = list(Restriction.objects.values_list("customer_id", flat=True)[:50])
        phones = list(CustomerPhone.objects.filter(customer_id__in=restricted)
                      .values_list("number", flat=True)[:50]) or \
            list(CustomerPhone.objects.values_list("number", flat=True)[:50])
        if not phones:
            raise CommandError("No customer phones to look up.")
        with transaction.atomic():  # the bench client is rolled back afterwards
            times = self._measure(admin, caseworker, phones, requests)
            transaction.set_rollback(True)
        self.stdout.write(f"{requests} requests each, phones of {len(phones)} customers "
                          "(restricted where there are any)")
        self.stdout.write("| request | median ms | p95 ms |\n|---|---|---|")
        for name, label in (("page", "lookup page, phone"), ("api", "GET /api/v1/callers")):
            self.stdout.write(f"| {label} | {statistics.median(times[name]):.1f} | "
                              f"{_p95(times[name]):.1f} |")
        ratio = _p95(times["api"]) / _p95(times["page"])
        self.stdout.write(f"API p95 / page p95 = {ratio:.2f}")

    def _measure(self, admin, caseworker, phones, requests) -> dict[str, list[float]]:
        _, key = client_register(actor=admin, name=f"bench {time.time()}", kind="other",
                                 scopes=["lookup"], rate_limit_per_minute=100_000)
        page, api = signed_in_client(caseworker), Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        lookup = reverse("contacts:lookup")
        times = {"page": [], "api": []}
        for i in range(requests + 10):
            phone = phones[i % len(phones)]
            for name, call in (("page", lambda p=phone: page.get(lookup, {"q": p})),
                               ("api", lambda p=phone: api.get("/api/v1/callers",
                                                               {"phone": p}))):
                started = time.perf_counter()
                response = call()
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    raise CommandError(f"{name} answered {response.status_code}")
                if i >= 10:  # warm-up
                    times[name].append(elapsed)
        return times

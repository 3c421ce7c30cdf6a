"""``manage.py bench_floor``: the fixed cost of a signed-in request (issue 23).

Times N requests of the cheapest signed-in page (the help index) and of a name lookup that
fills a page, through Django's test client against the configured database (so connection
reuse, the session, the user and the header are all paid as in a real request), and prints
p50/p95 and the queries each made. A benchmark, not a test: figures go in
docs/PERFORMANCE.md ("Floor"). It makes its own user ``bench-floor`` and 25 customers
called Floorbench if they are missing.
"""

import statistics
import time

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


class Command(BaseCommand):
    help = "Time the empty signed-in page and a name lookup; print p50/p95 and queries."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=300)

    def handle(self, *args, requests: int, **options):
        from accounts.constants import Role
        from accounts.models import User
        from contacts.models import Customer

        user, _ = User.objects.get_or_create(username="bench-floor")
        user.groups.add(Group.objects.get_or_create(name=Role.CASEWORKER)[0])
        have = Customer.objects.filter(family_name="Floorbench").count()
        for i in range(have, 25):
            Customer.objects.create(given_name=f"Ann{i}", family_name="Floorbench")
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        db = connection.settings_dict
        self.stdout.write(f"database {connection.vendor}, CONN_MAX_AGE={db['CONN_MAX_AGE']}, "
                          f"CONN_HEALTH_CHECKS={db.get('CONN_HEALTH_CHECKS')}, "
                          f"{requests} requests each, one process")
        pages = [("empty page (help index)", reverse("core:help_index"), {}),
                 ("name lookup (a full page)", reverse("contacts:lookup"), {"q": "Floorbench"})]
        for label, url, data in pages:
            for _ in range(20):  # warm up
                assert client.get(url, data).status_code == 200
            times = []
            for _ in range(requests):
                start = time.perf_counter()
                client.get(url, data)
                times.append((time.perf_counter() - start) * 1000)
            with CaptureQueriesContext(connection) as queries:
                client.get(url, data)
            times.sort()
            p95 = times[int(len(times) * 0.95) - 1]
            self.stdout.write(f"{label:28} p50 {statistics.median(times):6.2f} ms  "
                              f"p95 {p95:6.2f} ms  queries {len(queries)}")

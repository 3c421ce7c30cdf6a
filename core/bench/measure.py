"""Measure pages in-process: median and 95th percentile server time, queries per request.

Requests go through Django's test client with the full middleware stack (sessions, auth,
two-factor, CSP...), so "server time" is everything Django does for a request, without the
network and without gunicorn. Each scenario is compared with the floor: the same request
machinery rendering the base template with no data.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.security import two_factor_required


@dataclass
class Scenario:
    name: str
    user: object
    path: str
    method: str = "get"
    data: Callable[[int], dict] | None = None  # POST data for the i-th request
    kind: str = "page"  # "floor", "lookup" or "page": sets the target ratio
    expect: int = 200


@dataclass
class Result:
    scenario: Scenario
    times_ms: list[float] = field(default_factory=list)
    queries: int = 0
    sql: list[str] = field(default_factory=list)
    # The floor's times, each measured just before one of this page's requests.
    floor_ms: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        return _p95(self.times_ms)

    @property
    def floor_median(self) -> float:
        return statistics.median(self.floor_ms or self.times_ms)

    @property
    def floor_p95(self) -> float:
        return _p95(self.floor_ms or self.times_ms)


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def signed_in_client(user) -> Client:
    """A client signed in as ``user``, two-factor verified where the role needs it."""
    client = Client()
    client.force_login(user)
    if two_factor_required(user):
        device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
                  or TOTPDevice.objects.create(user=user, name="bench", confirmed=True))
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def run(scenario: Scenario, *, requests: int, warmup: int = 5,
        floor: Scenario | None = None) -> Result:
    """Time ``requests`` requests of ``scenario`` after ``warmup`` untimed ones.

    With ``floor``, a floor request is timed just before each of the page's, so the ratio of
    the two compares them under the same load (the machine may be shared).
    """
    client = signed_in_client(scenario.user)
    floor_client = signed_in_client(floor.user) if floor else None
    result = Result(scenario)

    def once(i: int):
        call = getattr(client, scenario.method)
        if scenario.data is None:
            return call(scenario.path)
        return call(scenario.path, scenario.data(i))

    for i in range(warmup):
        once(i)
    with CaptureQueriesContext(connection) as captured:
        response = once(warmup)
    if response.status_code != scenario.expect:
        raise RuntimeError(f"{scenario.name}: {scenario.path} answered "
                           f"{response.status_code}, expected {scenario.expect}")
    result.queries = len(captured.captured_queries)
    result.sql = [q["sql"] for q in captured.captured_queries]
    for i in range(requests):
        if floor_client is not None:
            started = time.perf_counter()
            floor_client.get(floor.path)
            result.floor_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        once(warmup + 1 + i)
        result.times_ms.append((time.perf_counter() - started) * 1000)
    return result


def seq_scans_on_big_tables(sql: str, min_rows: int = 10_000) -> list[str]:
    """Tables over ``min_rows`` rows that the plan of ``sql`` reads with a sequential scan."""
    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):  # the lookup is a WITH
        return []
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            import json

            plan = json.loads(plan)
        tables = set()

        def walk(node):
            if node.get("Node Type") == "Seq Scan":
                tables.add(node["Relation Name"])
            for child in node.get("Plans", []):
                walk(child)

        walk(plan[0]["Plan"])
        big = []
        for table in sorted(tables):
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            row = cursor.fetchone()
            if row and row[0] > min_rows:
                big.append(table)
        return big


def explain_analyze(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())

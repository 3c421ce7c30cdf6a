"""Issue 23: a task carries the request id of the request that queued it into the worker's
log lines, and the worker counts its failures on its own metrics port (core.celery_signals).

A real worker (``celery -A config worker``, as deployed) on this engineer's Redis database,
with JSON log lines and CELERY_METRICS_PORT; the test publishes as a request would.
"""

import json
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
import redis

from config.celery import app as celery_app
from core import request_id as rid
from core.celery_signals import HEADER, _enter_task, _leave_task, _publish_request_id
from core.tasks import forget_old_submission_keys
from tests.notifications.processes import ROOT, current_database_url, free_port, wait_for

pytestmark = pytest.mark.django_db
BROKER = os.environ["REDIS_URL"]
TOKEN = "worker-scrape-token-0123456789"
TASK = "core.forget_old_submission_keys"


def test_publishing_inside_a_request_puts_its_id_in_the_headers():
    headers = {}
    _publish_request_id(headers=headers)
    assert headers == {}  # outside a request (beat): nothing
    token = rid.request_id.set("trace-req-0001")
    try:
        _publish_request_id(headers=headers)
    finally:
        rid.request_id.reset(token)
    assert headers == {HEADER: "trace-req-0001"}


class _Task:
    def __init__(self, **request):
        self.request = type("Request", (), {"headers": None, **request})()


@pytest.mark.parametrize(("sent", "seen"), [("trace-req-0002", "trace-req-0002"),
                                            ("bad id with spaces", "-"), (None, "-")])
def test_a_task_runs_with_the_id_it_was_sent_then_forgets_it(sent, seen):
    task = _Task(**({HEADER: sent} if sent else {}))
    _enter_task(task_id="t-1", task=task)
    try:
        assert rid.request_id.get() == seen
        assert rid.task_id.get() == "t-1"
    finally:
        _leave_task(task_id="t-1")
    assert rid.request_id.get() == "-"
    assert rid.task_id.get() == "-"


def test_a_task_run_eagerly_in_a_request_keeps_the_request_id():
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    handler.addFilter(rid.RequestIdFilter())
    trace_logger = logging.getLogger("celery.app.trace")
    trace_logger.addHandler(handler)
    token = rid.request_id.set("trace-eager-01")
    try:
        forget_old_submission_keys.apply(args=["unexpected"], throw=False)
    finally:
        rid.request_id.reset(token)
        trace_logger.removeHandler(handler)
    failed = [r for r in records if r.levelno >= logging.ERROR]
    assert failed
    assert {r.request_id for r in failed} == {"trace-eager-01"}
    assert all(r.task_id != "-" for r in failed)


@pytest.fixture
def worker(tmp_path):
    client = redis.Redis.from_url(BROKER)
    client.flushdb()
    port = free_port()
    log = tmp_path / "worker.log"
    env = {**os.environ, "DATABASE_URL": current_database_url(), "REDIS_URL": BROKER,
           "LOG_FORMAT": "json", "METRICS_TOKEN": TOKEN, "CELERY_METRICS_PORT": str(port),
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"), "PYTHONUNBUFFERED": "1"}
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "counter_99999.db").write_bytes(b"stale")  # emptied at start
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency=2",
             "--pool=prefork", "--without-gossip", "--without-mingle", "-n", "rid@%h"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(lambda: " ready." in log.read_text() or process.poll() is not None,
                 timeout=90, what="the worker to start")
        assert process.poll() is None, log.read_text()
        yield log, port
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        client.flushdb()


def _json_lines(log) -> list[dict]:
    lines = []
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def _scrape(port, token=TOKEN) -> tuple[int, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics",
                                     headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_a_real_worker_logs_the_queuing_requests_id_and_counts_the_failure(worker):
    log, port = worker
    token = rid.request_id.set("trace-worker-0001")
    try:
        celery_app.send_task(TASK, args=["unexpected"])  # raises TypeError in the worker
    finally:
        rid.request_id.reset(token)
    celery_app.send_task(TASK, args=["unexpected"])  # as beat would: no request

    def failures():
        return [line for line in _json_lines(log)
                if line["level"] == "ERROR" and TASK in line["message"]]

    wait_for(lambda: len(failures()) == 2, timeout=60, what="both tasks to fail")
    ids = sorted(line["request_id"] for line in failures())
    assert ids == ["-", "trace-worker-0001"]
    assert all(line.get("task_id") for line in failures())
    assert all(line["logger"] == "celery.app.trace" for line in failures())

    assert _scrape(port, "wrong-token")[0] == 401
    deadline = time.monotonic() + 20
    while True:
        status, text = _scrape(port)
        if f'celery_task_failures_total{{task="{TASK}"}} 2.0' in text or (
                time.monotonic() > deadline):
            break
        time.sleep(0.5)
    assert status == 200
    assert f'celery_task_failures_total{{task="{TASK}"}} 2.0' in text, text
    assert "contact_app_metrics_up" not in text

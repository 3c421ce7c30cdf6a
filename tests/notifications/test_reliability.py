"""No reminder is lost or doubled: real Redis, real Celery worker processes, PostgreSQL.

The procedure's clocks (7.3 callbacks within 24 hours, 9.1 escalated callbacks, 11.2
immediate at-risk alerts) must survive concurrent sweeps and email drains, a broker outage
and a worker crash in either stage. Workers are subprocesses
(``tests/notifications/worker.py``) on the test database, so every row they must see is
committed (``transaction=True``). Every wait polls the database or a file against a
deadline.
"""

import os
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
import redis
from django.core.mail.backends.base import BaseEmailBackend
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from notifications import services
from notifications.models import DueItem, InboxEntry
from notifications.services import EmailResult, schedule, send_pending_emails, sweep
from notifications.tasks import send_pending_emails as send_pending_emails_task
from notifications.tasks import sweep_due_items
from tests.notifications.processes import (
    ROOT,
    RedisServer,
    Worker,
    current_database_url,
    emails_for,
    wait_for,
)

pytestmark = pytest.mark.django_db(transaction=True)

BROKER = os.environ["REDIS_URL"]  # this engineer's own Redis database (TEST_REDIS_URL)


@pytest.fixture
def broker():
    """An empty queue on the test Redis database, emptied again afterwards."""
    client = redis.Redis.from_url(BROKER)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def workers(tmp_path):
    """Start workers with ``workers(name, ...)``; all are killed at the end of the test."""
    started: list[Worker] = []

    def _start(name: str, *, broker: str = BROKER, args: tuple = (), env=None) -> Worker:
        worker = Worker(tmp_path, name, broker=broker, args=args, env=env)
        started.append(worker)
        return worker

    yield _start
    for worker in started:
        worker.kill()


def _schedule_due(recipient, count: int, prefix: str) -> list[int]:
    with transaction.atomic():
        return [
            schedule(kind="general", key=f"{prefix}:{n}", recipient=recipient,
                     due_at=timezone.now() - timedelta(seconds=1),
                     message=f"Callback {n} is due").pk
            for n in range(count)
        ]


def _unsent(ids) -> int:
    return DueItem.objects.filter(pk__in=ids, sent_at__isnull=True).count()


def _unemailed(ids) -> int:
    return DueItem.objects.filter(pk__in=ids, emailed_at__isnull=True).count()


def _assert_each_delivered_once(ids, mail_dir) -> None:
    assert _unsent(ids) == 0
    assert _unemailed(ids) == 0
    entries = InboxEntry.objects.filter(due_item__in=ids)
    assert entries.count() == len(ids)
    assert sorted(entries.values_list("due_item_id", flat=True)) == sorted(ids)
    doubled = [pk for pk in ids if emails_for(mail_dir, pk) != 1]
    assert doubled == [], f"items not emailed exactly once: {doubled[:10]}"


# 1. Two sweeps, and two email drains, at once --------------------------------------------


def _in_two_threads(run) -> list:
    results = []

    def target() -> None:
        try:
            results.append(run())
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=target) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def _overlap_once_per_thread():
    """A call that, the first time in each of two threads, waits for the other thread."""
    barrier, seen = threading.Barrier(2, timeout=30), threading.local()

    def overlap() -> None:
        if not getattr(seen, "done", False):
            seen.done = True
            barrier.wait()

    return overlap


def test_two_sweeps_then_two_drains_in_threads_deliver_and_email_each_item_once(
        make_user, monkeypatch):
    ids = _schedule_due(make_user(), 60, "threads")
    deliver_batch = services._deliver_batch

    overlap = _overlap_once_per_thread()

    def overlapping_deliver_batch(*args):
        result = deliver_batch(*args)
        overlap()  # each sweep holds its first locked batch until the other has one too
        return result

    monkeypatch.setattr(services, "_deliver_batch", overlapping_deliver_batch)
    swept = _in_two_threads(lambda: sweep(batch_size=5))
    assert sum(r.delivered for r in swept) == 60
    assert all(r.delivered > 0 for r in swept), f"the sweeps did not overlap: {swept}"
    assert InboxEntry.objects.filter(due_item__in=ids).count() == 60
    assert _unemailed(ids) == 60

    outbox_lock = threading.Lock()
    sent: list[str] = []

    overlap = _overlap_once_per_thread()

    class SlowBackend(BaseEmailBackend):
        def send_messages(self, messages):
            overlap()  # each drain sends its first email only once the other has a batch
            with outbox_lock:
                sent.extend(m.extra_headers["X-Notification-Item"] for m in messages)
            return len(messages)

    drained = _in_two_threads(lambda: send_pending_emails(batch_size=5,
                                                          connection=SlowBackend()))
    assert sum(r.sent for r in drained) == 60
    assert all(r.sent > 0 for r in drained), f"the drains did not overlap: {drained}"
    assert sorted(sent) == sorted(str(pk) for pk in ids)  # each emailed exactly once
    assert _unemailed(ids) == 0
    assert send_pending_emails() == EmailResult()


def test_two_worker_processes_sweeping_and_emailing_at_once_do_each_item_once(
        broker, workers, make_user):
    env = {"NOTIFICATIONS_SWEEP_BATCH_SIZE": "10", "NOTIFICATIONS_EMAIL_BATCH_SIZE": "10"}
    args = ("--slow", "0.01", "--slow-batch", "0.05")
    a = workers("a", args=args, env=env)
    b = workers("b", args=args, env=env)
    a.wait_ready()
    b.wait_ready()

    ids = _schedule_due(make_user(), 200, "workers")  # its commit queues one sweep
    sweep_due_items.delay()  # and a second, so both workers sweep at once

    wait_for(lambda: _unsent(ids) == 0, timeout=120, what="all items to be delivered")
    wait_for(lambda: len(a.delivered_counts()) + len(b.delivered_counts()) == 2,
             timeout=30, what="both sweeps to finish")
    # Each sweep that delivered asked for two drains (NOTIFICATIONS_EMAIL_DRAINS).
    wait_for(lambda: _unemailed(ids) == 0, timeout=120, what="all items to be emailed")
    wait_for(lambda: sum(a.emailed_counts() + b.emailed_counts()) == 200,
             timeout=30, what="the drains to finish")
    _assert_each_delivered_once(ids, a.mail_dir)
    delivered = a.delivered_counts() + b.delivered_counts()
    assert sum(delivered) == 200
    assert all(count > 0 for count in delivered), f"the sweeps did not overlap: {delivered}"
    emailed = [sum(a.emailed_counts()), sum(b.emailed_counts())]
    assert all(count > 0 for count in emailed), f"the drains did not overlap: {emailed}"


# 2. Redis unreachable at the due time -----------------------------------------------------


def _schedule_in_a_web_process(broker_url: str, recipient_id: int) -> subprocess.CompletedProcess:
    """Schedule an immediate alert from a separate process, as a web request would."""
    code = (
        "from django.db import transaction\n"
        "from django.utils import timezone\n"
        "from accounts.models import User\n"
        "from notifications.services import schedule\n"
        "with transaction.atomic():\n"
        f"    item = schedule(kind='general', key='outage:1', recipient=User.objects.get(pk={recipient_id}),\n"  # noqa: E501
        "                    due_at=timezone.now(), message='At-risk report: act now')\n"
        "print('ITEM', item.pk)\n"
    )
    env = {**os.environ, "DATABASE_URL": current_database_url(), "REDIS_URL": broker_url}
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_an_item_due_while_redis_is_down_is_delivered_once_redis_is_back(
        tmp_path, workers, make_user):
    private = RedisServer(tmp_path)
    private.start()
    try:
        worker = workers("beat", broker=private.url, args=("--beat", str(tmp_path / "beat")),
                         env={"NOTIFICATIONS_SWEEP_SECONDS": "1"})
        worker.wait_ready()
        private.stop()  # the broker goes away just before the item falls due

        scheduled = _schedule_in_a_web_process(private.url, make_user().pk)
        assert scheduled.returncode == 0, scheduled.stderr
        assert "could not queue an immediate sweep" in scheduled.stderr
        item = DueItem.objects.get(key="outage:1")  # the commit went through
        assert item.sent_at is None

        private.start()  # beat and the worker reconnect; the next sweep and drain deliver it
        wait_for(lambda: _unemailed([item.pk]) == 0, timeout=120,
                 what="the item to be delivered and emailed after Redis came back")
        _assert_each_delivered_once([item.pk], worker.mail_dir)
    finally:
        private.stop()


# 3. A worker killed in the middle of a sweep, or of an email drain ------------------------


def _locked_by_someone_else(pk: int) -> bool:
    with transaction.atomic():
        return not DueItem.objects.select_for_update(skip_locked=True).filter(pk=pk).exists()


def _kill_and_wait_for_the_lock(worker: Worker, pk: int) -> None:
    worker.kill()
    wait_for(lambda: not _locked_by_someone_else(pk), timeout=60,
             what="PostgreSQL to release the killed worker's lock")


def test_an_item_whose_sweep_was_killed_is_delivered_once_by_the_next(
        tmp_path, broker, workers, make_user):
    marker = tmp_path / "blocked"
    doomed = workers("doomed", args=("--block-sweep", str(marker)))
    doomed.wait_ready()

    [pk] = _schedule_due(make_user(), 1, "crash")  # its commit queues the doomed sweep
    wait_for(marker.exists, timeout=60, what="the sweep to block after its statement")
    assert _locked_by_someone_else(pk)  # the doomed sweep holds the row
    assert not InboxEntry.objects.filter(due_item=pk).exists()  # its writes are uncommitted

    _kill_and_wait_for_the_lock(doomed, pk)
    assert _unsent([pk]) == 1
    assert not InboxEntry.objects.filter(due_item=pk).exists()

    survivor = workers("survivor")
    survivor.wait_ready()
    sweep_due_items.delay()  # the next (beat) sweep, which asks for the drain
    wait_for(lambda: _unemailed([pk]) == 0, timeout=60, what="the next sweep and drain")
    _assert_each_delivered_once([pk], survivor.mail_dir)


def test_an_email_whose_drain_was_killed_is_sent_once_by_the_next(
        tmp_path, broker, workers, make_user):
    marker = tmp_path / "blocked"
    doomed = workers("doomed", args=("--block", str(marker)))
    doomed.wait_ready()

    [pk] = _schedule_due(make_user(), 1, "crash")  # the sweep, then the drain that blocks
    wait_for(marker.exists, timeout=60, what="the drain to block inside the email")
    assert _locked_by_someone_else(pk)  # the doomed drain holds the row
    assert _unsent([pk]) == 0  # the inbox delivery did not wait for the email
    assert InboxEntry.objects.filter(due_item=pk).count() == 1

    _kill_and_wait_for_the_lock(doomed, pk)
    assert _unemailed([pk]) == 1

    survivor = workers("survivor")
    survivor.wait_ready()
    send_pending_emails_task.delay()  # the next (beat) drain
    wait_for(lambda: _unemailed([pk]) == 0, timeout=60, what="the next drain to email")
    _assert_each_delivered_once([pk], survivor.mail_dir)  # the doomed drain wrote none


# 4. A transaction that rolls back ---------------------------------------------------------


def test_a_rolled_back_transaction_schedules_nothing_and_queues_no_task(broker, make_user):
    user = make_user()

    with pytest.raises(RuntimeError), transaction.atomic():  # noqa: PT012
        schedule(kind="general", key="rolled:1", recipient=user, due_at=timezone.now(),
                 message="At-risk report: act now")
        raise RuntimeError("the at-risk report failed to save")

    assert not DueItem.objects.filter(key="rolled:1").exists()
    assert broker.llen("celery") == 0

    # The same schedule, committed, does queue a sweep: the check above can fail.
    schedule(kind="general", key="committed:1", recipient=user, due_at=timezone.now(),
             message="At-risk report: act now")
    assert broker.llen("celery") == 1

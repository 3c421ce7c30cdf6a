"""Issue 19, finding 5: a subject access export whose worker dies is restarted, once.

A real Celery worker (tests/notifications/worker.py, ``--block-export``) starts the export,
reports progress, then is SIGKILLed half-way, as a crash or an out-of-memory kill would. The
request stays "being prepared"; the sweep (``privacy.services.sar_restart_stalled``, run by
beat every 5 minutes) notices from PostgreSQL state alone that its worker has not reported
for ``SAR_STALL_MINUTES`` and queues it again; a second worker finishes it. A second sweep,
and a duplicate delivery of the task, change nothing.
"""

import os
from datetime import timedelta

import pytest
import redis
from django.utils import timezone

from audit.models import AuditEvent
from privacy import services
from privacy.constants import SarStatus
from privacy.models import SubjectAccessRequest
from tests.contacts.factories import ContactFactory, CustomerFactory
from tests.notifications.processes import Worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)
BROKER = os.environ["REDIS_URL"]


@pytest.fixture
def broker():
    client = redis.Redis.from_url(BROKER)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def workers(tmp_path):
    started: list[Worker] = []

    def _start(name: str, args: tuple = ()) -> Worker:
        worker = Worker(tmp_path, name, broker=BROKER, args=args)
        started.append(worker)
        return worker

    yield _start
    for worker in started:
        worker.kill()


def _status(pk: int) -> str:
    return SubjectAccessRequest.objects.values_list("status", flat=True).get(pk=pk)


def test_an_export_whose_worker_was_killed_is_restarted_once(tmp_path, broker, workers,
                                                             make_user):
    from accounts.constants import Role

    marker = tmp_path / "export-blocked"
    doomed = workers("doomed", args=("--block-export", str(marker)))
    doomed.wait_ready()
    officer = make_user(Role.COMPLIANCE)
    customer = CustomerFactory()
    ContactFactory(customer=customer, summary="Asked for everything we hold")
    sar = services.sar_create(customer=customer, received_on=timezone.localdate(),
                              recorded_by=officer)  # its commit queues the export
    wait_for(marker.exists, timeout=60, what="the export to start and block")
    sar.refresh_from_db()
    assert (sar.status, sar.progress) == (SarStatus.IN_PROGRESS, 40)
    assert sar.heartbeat_at is not None
    doomed.kill()
    assert _status(sar.pk) == SarStatus.IN_PROGRESS  # nothing else would ever pick it up

    # Not yet stalled: the sweep leaves a job whose worker reported recently alone.
    assert services.sar_restart_stalled() == []
    later = timezone.now() + timedelta(minutes=11)
    survivor = workers("survivor")
    survivor.wait_ready()
    assert services.sar_restart_stalled(now=later) == [sar.pk]
    assert services.sar_restart_stalled(now=later) == [], "claimed once"
    wait_for(lambda: _status(sar.pk) == SarStatus.READY, timeout=90,
             what="the restarted export to finish")
    sar.refresh_from_db()
    assert sar.progress == 100
    assert bytes(sar.export)[:2] == b"PK"  # a ZIP
    assert AuditEvent.objects.filter(action="subjectaccessrequest.restarted",
                                     target_id=str(sar.pk)).count() == 1

    # Idempotent: a duplicate delivery of the task, or a later sweep, changes nothing.
    generated_at = sar.generated_at
    services.sar_generate(sar_id=sar.pk)
    assert services.sar_restart_stalled(now=later + timedelta(hours=1)) == []
    sar.refresh_from_db()
    assert (sar.status, sar.generated_at) == (SarStatus.READY, generated_at)


def test_a_request_never_started_is_restarted_from_its_age(broker, make_user):
    """The broker was down when it was saved (on_commit could not queue): still picked up."""
    from accounts.constants import Role

    sar = SubjectAccessRequest.objects.create(
        customer=CustomerFactory(), received_on=timezone.localdate(),
        recorded_by=make_user(Role.COMPLIANCE),
        created_at=timezone.now() - timedelta(minutes=30))
    assert services.sar_restart_stalled() == [sar.pk]
    assert broker.llen("celery") == 1  # queued again, on commit

"""The beat schedule and the thin tasks around ``sweep`` and the email drain; the demo loader."""

import pytest
from django.conf import settings
from django.core import mail
from kombu.exceptions import OperationalError

from accounts.demo import load_staff
from config.celery import app as celery_app
from notifications import services
from notifications.demo import load_notifications
from notifications.email_outbox import ask_workers
from notifications.models import DueItem, InboxEntry
from notifications.tasks import send_pending_emails, sweep_due_items
from tests.notifications.factories import DueItemFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("entry", "task"), [
    ("notifications-sweep", "notifications.sweep_due_items"),
    ("notifications-email", "notifications.send_pending_emails"),
])
def test_beat_runs_the_sweep_and_the_email_drain_every_minute(entry, task):
    scheduled = settings.CELERY_BEAT_SCHEDULE[entry]
    assert scheduled["task"] == task
    assert scheduled["schedule"] == 60
    assert scheduled["options"] == {"expires": 60}  # stale requests are dropped
    assert task in celery_app.tasks


@pytest.fixture
def drain_requests(monkeypatch):
    """The drains the sweep task asks for (instead of queueing them on the broker)."""
    requested: list[int] = []
    monkeypatch.setattr(services, "request_email_drain",
                        lambda *, drains: requested.append(drains))
    return requested


def test_the_sweep_task_delivers_then_asks_for_the_emails_on_commit(
        make_user, drain_requests, django_capture_on_commit_callbacks):
    item = DueItemFactory(recipient=make_user())
    with django_capture_on_commit_callbacks(execute=True):
        sweep_due_items.apply()
        assert drain_requests == []  # not before the commit
    item.refresh_from_db()
    assert item.sent_at is not None
    assert item.emailed_at is None
    assert drain_requests == [1]
    assert mail.outbox == []


def test_the_sweep_task_asks_for_one_drain_per_worker_for_a_large_sweep(
        make_user, settings, drain_requests, django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_EMAIL_BATCH_SIZE = 2
    settings.NOTIFICATIONS_EMAIL_DRAINS = 3
    DueItemFactory.create_batch(5, recipient=make_user())
    with django_capture_on_commit_callbacks(execute=True):
        sweep_due_items.apply()
    assert drain_requests == [3]  # ceil(5 / 2) batches, but only 3 drains


def test_a_sweep_with_nothing_due_asks_for_no_drain(
        drain_requests, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sweep_due_items.apply()
    assert drain_requests == []


def test_the_drain_task_sends_the_owed_emails(make_user):
    item = DueItemFactory(recipient=make_user(email="casey@example.org"))
    services.sweep()
    send_pending_emails.apply()
    item.refresh_from_db()
    assert item.emailed_at is not None
    assert [m.to for m in mail.outbox] == [["casey@example.org"]]


def test_demo_loader_is_idempotent():
    load_staff(password="demo-password-2026")
    load_notifications()
    counts = (DueItem.objects.count(), InboxEntry.objects.count())
    load_notifications()
    assert (DueItem.objects.count(), InboxEntry.objects.count()) == counts
    assert counts == (15, 10)  # 5 demo users: 2 delivered notices and 1 upcoming reminder
    # The demo addresses are not emailed, and no email is left owed for beat to send.
    assert mail.outbox == []
    assert not services.emails_owed().exists()


def test_the_sweep_command_delivers_and_sends_what_is_owed_once(make_user):
    """``manage.py sweep``: what beat does each minute, by hand (make load runs it)."""
    from io import StringIO

    from django.core.management import call_command

    with_email = DueItemFactory(recipient=make_user(email="casey@example.org"))
    without = DueItemFactory(recipient=make_user(email=""))
    out = StringIO()
    call_command("sweep", stdout=out)
    assert "Delivered 2, escalated 0, left to escalate 0; emails sent 1, still owed 0." \
        in out.getvalue()
    for item in (with_email, without):
        item.refresh_from_db()
        assert item.sent_at is not None
        assert item.emailed_at is not None
        assert InboxEntry.objects.filter(due_item=item).count() == 1
    assert [m.to for m in mail.outbox] == [["casey@example.org"]]
    call_command("sweep", stdout=out)  # nothing left: nothing sent twice
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("failure", [OSError("broker folder gone"),
                                     OperationalError("no broker")])
def test_an_unreachable_broker_is_logged_and_left_to_beat(failure, caplog):
    class Task:
        def delay(self):
            raise failure

    ask_workers(Task(), what="a drain")  # no error for the request that asked
    assert "could not queue a drain; the beat schedule will run it" in caplog.text


def test_a_programming_error_while_queueing_is_not_hidden():
    class Task:
        def delay(self):
            raise TypeError("delay() got an unexpected keyword argument")

    with pytest.raises(TypeError):
        ask_workers(Task(), what="a drain")

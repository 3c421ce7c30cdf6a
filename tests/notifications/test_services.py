"""Schedule, cancel, complete, the sweep's delivery to the inbox and the email drain."""

import logging
from datetime import timedelta
from math import ceil

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications import services
from notifications.models import DueItem, InboxEntry
from notifications.services import (
    EmailResult,
    cancel,
    complete,
    schedule,
    send_pending_emails,
    sweep,
)
from tests.notifications.factories import DueItemFactory

pytestmark = pytest.mark.django_db


def _schedule(user, key="callback:1", **kwargs):
    defaults = {"kind": "general", "key": key, "recipient": user,
                "due_at": timezone.now() - timedelta(minutes=1),
                "message": "Call back Ms Jones"}
    return schedule(**(defaults | kwargs))


def test_schedule_is_idempotent_on_its_key(make_user):
    user = make_user()
    first = _schedule(user, message="Call back Ms Jones")
    again = _schedule(user, message="A different message")
    assert again.pk == first.pk
    assert DueItem.objects.count() == 1
    assert DueItem.objects.get().message == "Call back Ms Jones"


def test_schedule_refuses_an_unknown_kind_and_a_naive_time(make_user):
    user = make_user()
    with pytest.raises(KeyError):
        _schedule(user, kind="no_such_kind")
    with pytest.raises(ValueError, match="aware"):
        _schedule(user, due_at=timezone.now().replace(tzinfo=None))
    assert not DueItem.objects.exists()


def test_an_immediate_item_asks_for_one_sweep_after_commit(make_user,
                                                           django_capture_on_commit_callbacks):
    user = make_user()
    with django_capture_on_commit_callbacks() as callbacks:
        _schedule(user, key="a")
        _schedule(user, key="b")  # one sweep delivers both
        _schedule(user, key="later", due_at=timezone.now() + timedelta(hours=1))
    assert callbacks == [services._request_sweep]


@pytest.fixture(params=["one statement", "portable"])
def delivery(request, monkeypatch):
    """Run a test on both delivery paths: PostgreSQL's one statement per batch, and the
    portable statements used on SQLite (``make run``), here run on PostgreSQL too."""
    if request.param == "portable":
        monkeypatch.setattr(services, "_deliver_batch", services._deliver_batch_portable)
    return request.param


def test_sweep_delivers_due_items_to_the_inbox_and_leaves_the_email_owed(make_user, delivery):
    user = make_user(first_name="Casey", email="casey@example.org")
    item = _schedule(user, link="/customers/7/")
    future = _schedule(user, key="later", due_at=timezone.now() + timedelta(hours=1))

    result = sweep()

    assert result == services.SweepResult(delivered=1)
    item.refresh_from_db()
    assert item.sent_at is not None
    assert item.emailed_at is None  # owed: the drain sends it
    entry = InboxEntry.objects.get()
    assert (entry.recipient, entry.text, entry.link, entry.due_item, entry.escalation) == (
        user, "Call back Ms Jones", "/customers/7/", item, False)
    assert entry.created_at == item.sent_at
    assert mail.outbox == []  # delivery does not wait for email
    future.refresh_from_db()
    assert future.sent_at is None

    assert sweep() == services.SweepResult()
    assert InboxEntry.objects.count() == 1


def test_the_drain_sends_the_owed_email_once(make_user):
    user = make_user(first_name="Casey", email="casey@example.org")
    item = _schedule(user, link="/customers/7/")
    sweep()

    assert send_pending_emails() == EmailResult(sent=1)

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["casey@example.org"]
    assert email.subject == "Notice"
    assert "Call back Ms Jones" in email.body
    assert "http://127.0.0.1:8000/customers/7/" in email.body
    assert email.extra_headers["X-Notification-Item"] == str(item.pk)
    item.refresh_from_db()
    assert item.emailed_at is not None
    assert send_pending_emails() == EmailResult()
    assert sweep() == services.SweepResult()
    assert len(mail.outbox) == 1


def test_sweep_works_through_many_batches(make_user, delivery):
    DueItemFactory.create_batch(7, recipient=make_user())
    assert sweep(batch_size=2).delivered == 7
    assert not services.due_unsent(timezone.now()).exists()
    assert InboxEntry.objects.count() == 7
    assert send_pending_emails(batch_size=2) == EmailResult(sent=7)
    assert len(mail.outbox) == 7


def test_sweep_delivers_in_due_order_and_only_what_is_due_by_now(make_user, delivery):
    user = make_user()
    now = timezone.now()
    # Same due time for several items: the (due_at, id) cursor must not skip any of them.
    same = DueItemFactory.create_batch(3, recipient=user, due_at=now - timedelta(hours=1))
    earlier = DueItemFactory(recipient=user, due_at=now - timedelta(hours=2))
    later = DueItemFactory(recipient=user, due_at=now + timedelta(seconds=1))
    assert sweep(now=now, batch_size=2).delivered == 4
    assert set(DueItem.objects.filter(sent_at__isnull=False).values_list("pk", flat=True)) \
        == {earlier.pk, *(i.pk for i in same)}
    later.refresh_from_db()
    assert later.sent_at is None


def test_an_inbox_entry_already_there_is_not_duplicated(make_user, delivery):
    """A delivery repeated after a partial failure is a no-op for the inbox."""
    item = DueItemFactory(recipient=make_user())
    InboxEntry.objects.create(recipient=item.recipient, due_item=item, text="earlier try")
    assert sweep().delivered == 1
    assert InboxEntry.objects.filter(due_item=item).count() == 1


def test_email_uses_the_kinds_template_or_the_generic_one(make_user):
    user = make_user()
    _schedule(user, key="a", kind="test_callback", message="Ring Mr O'Neill & partner")
    _schedule(user, key="b", kind="general", message="Team meeting")
    sweep()
    send_pending_emails()
    by_subject = {m.subject: m.body for m in mail.outbox}
    # test_callback has no template of its own: the generic one, with the kind's label.
    assert "Callback due: Ring Mr O'Neill & partner" in by_subject["Callback due"]
    assert "Due:" in by_subject["Callback due"]
    # general has its own, shorter template; plain text is never HTML-escaped.
    assert "Team meeting" in by_subject["Notice"]
    assert "Due:" not in by_subject["Notice"]
    assert "&amp;" not in by_subject["Callback due"]


def test_an_item_of_an_unknown_kind_is_still_delivered(make_user):
    DueItemFactory(kind="renamed_since", recipient=make_user())
    assert sweep().delivered == 1
    assert send_pending_emails().sent == 1
    assert mail.outbox[0].subject == "Reminder"


def test_a_recipient_without_email_gets_the_inbox_entry_only(make_user, delivery):
    item = DueItemFactory(recipient=make_user(email=""))
    with_email = DueItemFactory(recipient=make_user(email="casey@example.org"))
    assert sweep().delivered == 2
    item.refresh_from_db()
    assert item.sent_at is not None
    assert item.emailed_at == item.sent_at  # no email owed: the inbox entry is the delivery
    with_email.refresh_from_db()
    assert with_email.emailed_at is None
    assert InboxEntry.objects.filter(due_item=item).count() == 1
    assert send_pending_emails() == EmailResult(sent=1)
    assert [m.to for m in mail.outbox] == [["casey@example.org"]]


@pytest.mark.parametrize("stop", [cancel, complete])
def test_cancelled_or_completed_items_are_not_delivered(make_user, stop):
    user = make_user()
    _schedule(user, key="callback:9")
    assert stop(key="callback:9") == 1
    assert stop(key="callback:9") == 0  # already stopped
    assert sweep() == services.SweepResult()
    assert send_pending_emails() == EmailResult()
    assert not InboxEntry.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("stop", [cancel, complete])
def test_work_stopped_after_delivery_is_not_emailed(make_user, stop):
    """The inbox entry stays; an email about work already done or no longer needed does not
    go (it is sent by the drain a moment after delivery, so this is a narrow window)."""
    user = make_user()
    _schedule(user, key="callback:9")
    assert sweep().delivered == 1
    stop(key="callback:9")
    assert send_pending_emails() == EmailResult()
    assert mail.outbox == []
    assert InboxEntry.objects.count() == 1


class _FailingFor(EmailBackend):
    """Refuses messages for one address, as an SMTP server refusing a recipient would."""

    refused = "broken@example.org"

    def send_messages(self, messages):
        if any(self.refused in m.to for m in messages):
            raise OSError("refused")
        return super().send_messages(messages)


def test_a_failed_email_stays_owed_until_a_later_drain_sends_it(make_user, caplog):
    broken = DueItemFactory(recipient=make_user(email="broken@example.org"))
    fine = DueItemFactory(recipient=make_user(email="fine@example.org"))
    assert sweep() == services.SweepResult(delivered=2)

    with caplog.at_level(logging.WARNING, logger="notifications.email_outbox"):
        result = send_pending_emails(connection=_FailingFor())

    assert result == EmailResult(sent=1, failed=1)
    broken.refresh_from_db()
    fine.refresh_from_db()
    assert broken.emailed_at is None
    assert fine.emailed_at is not None
    assert f"item={broken.pk}" in caplog.text
    assert "broken@example.org" not in caplog.text  # opaque ids only in logs
    # The in-app notice is not held back by the mail server.
    assert broken.sent_at is not None
    assert InboxEntry.objects.filter(due_item=broken).count() == 1

    assert send_pending_emails(connection=_FailingFor()) == EmailResult(failed=1)  # retried
    assert send_pending_emails() == EmailResult(sent=1)  # mail works again
    broken.refresh_from_db()
    assert broken.emailed_at is not None
    assert sweep() == services.SweepResult()
    assert InboxEntry.objects.filter(due_item=broken).count() == 1
    assert [m.to for m in mail.outbox] == [["fine@example.org"], ["broken@example.org"]]


class _Unreachable(EmailBackend):
    """A mail server that cannot be reached at all."""

    attempts = 0

    def open(self):
        type(self).attempts += 1
        raise ConnectionRefusedError


def test_an_unreachable_mail_server_is_tried_once_per_drain(make_user):
    _Unreachable.attempts = 0
    DueItemFactory.create_batch(3, recipient=make_user())
    assert sweep() == services.SweepResult(delivered=3)  # the inbox does not wait
    assert InboxEntry.objects.count() == 3
    assert send_pending_emails(connection=_Unreachable()) == EmailResult(failed=3)
    assert _Unreachable.attempts == 1
    # It gives up on the first batch rather than trying every message of every batch.
    assert send_pending_emails(batch_size=1, connection=_Unreachable()) == EmailResult(failed=1)
    assert _Unreachable.attempts == 2
    assert send_pending_emails() == EmailResult(sent=3)
    assert len(mail.outbox) == 3
    assert InboxEntry.objects.count() == 3


def _schedule_then_fail(user) -> None:
    with transaction.atomic():
        _schedule(user)
        raise RuntimeError("the record could not be saved")


def test_a_rolled_back_transaction_schedules_nothing(make_user,
                                                     django_capture_on_commit_callbacks):
    user = make_user()
    with (django_capture_on_commit_callbacks(execute=True) as callbacks,
          pytest.raises(RuntimeError)):
        _schedule_then_fail(user)
    assert not DueItem.objects.exists()
    assert callbacks == []


# --- Query cost -----------------------------------------------------------------------------


def _statements(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


@pytest.mark.parametrize("items", [4, 40])
def test_delivery_is_one_statement_per_batch(make_user, items):
    users = [make_user(email=f"person{n}@example.org" if n else "") for n in range(4)]
    for n in range(items):
        DueItemFactory(recipient=users[n % 4])
    with CaptureQueriesContext(connection) as ctx:
        assert sweep(batch_size=10).delivered == items
    batches = ceil(items / 10)
    statements = _statements(ctx)
    # a statement per batch, one finding nothing more, one looking for escalations
    assert len(statements) == batches + 1 + 1, "query count changed:\n" + "\n".join(statements)
    assert InboxEntry.objects.count() == items
    assert DueItem.objects.filter(emailed_at__isnull=False).count() == items // 4  # no address


@pytest.mark.parametrize("items", [4, 40])
def test_the_drain_costs_two_queries_per_batch(make_user, items):
    users = [make_user() for _ in range(4)]
    for n in range(items):
        DueItemFactory(recipient=users[n % 4])
    sweep()
    with CaptureQueriesContext(connection) as ctx:
        assert send_pending_emails(batch_size=10) == EmailResult(sent=items)
    batches = ceil(items / 10)
    statements = _statements(ctx)
    # per batch: lock and load the items with their recipients, mark them emailed; then one
    # finding no more reminders, one finding no escalations
    assert len(statements) == 2 * batches + 1 + 1, "query count changed:\n" + "\n".join(
        statements)
    assert len(mail.outbox) == items

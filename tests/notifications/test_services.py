"""Schedule, cancel, complete and the sweep's delivery (inbox + email), in one process."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone

from notifications import services
from notifications.models import DueItem, InboxEntry
from notifications.services import cancel, complete, schedule, sweep
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


def test_sweep_delivers_due_items_to_inbox_and_email_once(make_user):
    user = make_user(first_name="Casey", email="casey@example.org")
    item = _schedule(user, link="/customers/7/")
    future = _schedule(user, key="later", due_at=timezone.now() + timedelta(hours=1))

    result = sweep()

    assert result == services.SweepResult(delivered=1)
    item.refresh_from_db()
    assert item.sent_at is not None
    entry = InboxEntry.objects.get()
    assert (entry.recipient, entry.text, entry.link, entry.due_item) == (
        user, "Call back Ms Jones", "/customers/7/", item)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["casey@example.org"]
    assert email.subject == "Notice"
    assert "Call back Ms Jones" in email.body
    assert "http://127.0.0.1:8000/customers/7/" in email.body
    assert email.extra_headers["X-Notification-Item"] == str(item.pk)
    future.refresh_from_db()
    assert future.sent_at is None

    assert sweep() == services.SweepResult()
    assert InboxEntry.objects.count() == 1
    assert len(mail.outbox) == 1


def test_sweep_works_through_many_batches(make_user):
    DueItemFactory.create_batch(7, recipient=make_user())
    assert sweep(batch_size=2).delivered == 7
    assert not services.due_unsent(timezone.now()).exists()
    assert InboxEntry.objects.count() == 7


def test_email_uses_the_kinds_template_or_the_generic_one(make_user):
    user = make_user()
    _schedule(user, key="a", kind="test_callback", message="Ring Mr O'Neill & partner")
    _schedule(user, key="b", kind="general", message="Team meeting")
    sweep()
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
    assert mail.outbox[0].subject == "Reminder"


def test_a_recipient_without_email_gets_the_inbox_entry_only(make_user):
    item = DueItemFactory(recipient=make_user(email=""))
    assert sweep().delivered == 1
    item.refresh_from_db()
    assert item.sent_at is not None
    assert InboxEntry.objects.filter(due_item=item).count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize("stop", [cancel, complete])
def test_cancelled_or_completed_items_are_not_delivered(make_user, stop):
    user = make_user()
    _schedule(user, key="callback:9")
    assert stop(key="callback:9") == 1
    assert stop(key="callback:9") == 0  # already stopped
    assert sweep() == services.SweepResult()
    assert not InboxEntry.objects.exists()
    assert mail.outbox == []


class _FailingFor(EmailBackend):
    """Refuses messages for one address, as an SMTP server refusing a recipient would."""

    refused = "broken@example.org"

    def send_messages(self, messages):
        if any(self.refused in m.to for m in messages):
            raise OSError("refused")
        return super().send_messages(messages)


def test_a_failed_email_leaves_the_item_for_the_next_sweep(make_user, caplog):
    broken = DueItemFactory(recipient=make_user(email="broken@example.org"))
    fine = DueItemFactory(recipient=make_user(email="fine@example.org"))

    with caplog.at_level(logging.WARNING, logger="notifications.services"):
        result = sweep(connection=_FailingFor())

    assert result == services.SweepResult(delivered=1, failed=1)
    broken.refresh_from_db()
    fine.refresh_from_db()
    assert broken.sent_at is None
    assert fine.sent_at is not None
    assert f"item={broken.pk}" in caplog.text
    assert "broken@example.org" not in caplog.text  # opaque ids only in logs
    # The in-app notice is not held back by the mail server.
    assert InboxEntry.objects.filter(due_item=broken).count() == 1

    assert sweep().delivered == 1  # mail works again
    broken.refresh_from_db()
    assert broken.sent_at is not None
    assert InboxEntry.objects.filter(due_item=broken).count() == 1
    assert [m.to for m in mail.outbox] == [["fine@example.org"], ["broken@example.org"]]


class _Unreachable(EmailBackend):
    """A mail server that cannot be reached at all."""

    attempts = 0

    def open(self):
        type(self).attempts += 1
        raise ConnectionRefusedError


def test_an_unreachable_mail_server_is_tried_once_per_sweep(make_user):
    DueItemFactory.create_batch(3, recipient=make_user())
    assert sweep(connection=_Unreachable()) == services.SweepResult(failed=3)
    assert _Unreachable.attempts == 1
    assert InboxEntry.objects.count() == 3
    assert sweep().delivered == 3
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

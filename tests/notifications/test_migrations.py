"""The outbox migration: what was sent before it must not be emailed again after it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from notifications.models import DueItem
from notifications.services import EmailResult, send_pending_emails

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("notifications", "0001_initial")]
AFTER = [("notifications", "0003_email_pending_indexes")]


@pytest.fixture
def before_the_outbox():
    """The database as it was before the outbox; put back to the latest state afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_items_sent_or_escalated_before_the_outbox_owe_no_email(before_the_outbox, make_user):
    old_item = before_the_outbox.get_model("notifications", "DueItem")
    user, manager = make_user(), make_user()
    now = timezone.now()

    def make(key, **fields):
        return old_item.objects.create(kind="test_callback", key=key, recipient_id=user.pk,
                                       due_at=now, message="Call back", **fields).pk

    sent = make("sent", sent_at=now)
    escalated = make("escalated", sent_at=now, escalated_at=now, escalated_to_id=manager.pk)
    waiting = make("waiting")

    MigrationExecutor(connection).migrate(AFTER)

    items = DueItem.objects.in_bulk([sent, escalated, waiting])
    assert items[sent].emailed_at == now
    assert items[escalated].escalation_emailed_at == now
    assert items[waiting].emailed_at is None
    assert send_pending_emails() == EmailResult()  # nothing sent before is sent again

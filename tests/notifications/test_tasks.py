"""The beat schedule and the thin task around ``sweep``; the demo loader is idempotent."""

import pytest
from django.conf import settings

from accounts.demo import load_staff
from config.celery import app as celery_app
from notifications.demo import load_notifications
from notifications.models import DueItem, InboxEntry
from notifications.tasks import sweep_due_items
from tests.notifications.factories import DueItemFactory

pytestmark = pytest.mark.django_db


def test_beat_runs_the_sweep_every_minute_and_drops_stale_requests():
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-sweep"]
    assert entry["task"] == "notifications.sweep_due_items"
    assert entry["schedule"] == 60
    assert entry["options"] == {"expires": 60}
    assert "notifications.sweep_due_items" in celery_app.tasks


def test_the_task_sweeps(make_user):
    item = DueItemFactory(recipient=make_user())
    sweep_due_items.apply()
    item.refresh_from_db()
    assert item.sent_at is not None


def test_demo_loader_is_idempotent():
    load_staff(password="demo-password-2026")
    load_notifications()
    counts = (DueItem.objects.count(), InboxEntry.objects.count())
    load_notifications()
    assert (DueItem.objects.count(), InboxEntry.objects.count()) == counts
    assert counts == (15, 10)  # 5 demo users: 2 delivered notices and 1 upcoming reminder

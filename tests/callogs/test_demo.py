"""The demo loader (order 40) fills the call-log and welfare screens and is idempotent."""

import pytest

from accounts.demo import load_staff
from accounts.models import User
from callogs import selectors
from callogs.demo import load_demo_logs
from callogs.models import TerminatedCallLog
from core import demo
from welfare.models import WelfareFollowUp

pytestmark = pytest.mark.django_db


def test_demo_loader_is_registered_at_order_40():
    assert load_demo_logs in demo.loaders()


def test_demo_has_a_log_awaiting_the_manager_and_a_follow_up():
    load_staff(password="demo-password-2026")
    load_demo_logs()
    load_demo_logs()
    manager = User.objects.get(username="manager")
    assert len(selectors.review_queue(manager)) == 1
    assert TerminatedCallLog.objects.count() == 2
    assert TerminatedCallLog.objects.filter(status="draft").count() == 1
    follow_up = WelfareFollowUp.objects.get()
    assert follow_up.manager == manager

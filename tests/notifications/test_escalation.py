"""Escalation: an item still open ``escalate_after`` past due goes once up the chain (2.2, 7.3)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from accounts.constants import Role
from audit.models import AuditEvent
from notifications.models import InboxEntry
from notifications.services import SweepResult, complete, schedule, sweep

pytestmark = pytest.mark.django_db(transaction=True)

DUE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def chain(make_user):
    """caseworker -> manager (away) -> senior."""
    senior = make_user(Role.SENIOR_STAFF, username="senior", email="senior@example.org")
    manager = make_user(Role.LINE_MANAGER, username="manager", line_manager=senior,
                        is_away=True, email="manager@example.org")
    caseworker = make_user(Role.CASEWORKER, username="caseworker", line_manager=manager,
                           first_name="Casey", last_name="Walsh")
    return caseworker, manager, senior


def _schedule_callback(caseworker):
    with time_machine.travel(DUE - timedelta(hours=3), tick=False):
        return schedule(kind="test_callback", key="callback:1", recipient=caseworker,
                        due_at=DUE, message="Call back Ms Jones", link="/customers/1/")


def _sweep_at(moment) -> SweepResult:
    with time_machine.travel(moment, tick=False):
        return sweep()


def test_escalates_once_at_the_right_time_to_the_first_available_manager(chain):
    caseworker, manager, senior = chain
    item = _schedule_callback(caseworker)

    assert _sweep_at(DUE - timedelta(seconds=1)) == SweepResult()
    assert _sweep_at(DUE) == SweepResult(delivered=1)
    assert _sweep_at(DUE + timedelta(minutes=59, seconds=59)) == SweepResult()
    assert _sweep_at(DUE + timedelta(hours=1)) == SweepResult(escalated=1)
    assert _sweep_at(DUE + timedelta(hours=2)) == SweepResult()

    item.refresh_from_db()
    assert item.escalated_to == senior  # the manager marked away is skipped (2.2)
    assert item.escalated_at == DUE + timedelta(hours=1)
    entry = InboxEntry.objects.get(escalation=True)
    assert entry.recipient == senior
    assert entry.text == "Overdue for Casey Walsh: Call back Ms Jones"
    assert not InboxEntry.objects.filter(recipient=manager).exists()
    escalation_emails = [m for m in mail.outbox if m.subject == "Overdue: Callback due"]
    assert [m.to for m in escalation_emails] == [["senior@example.org"]]
    assert "next available manager for Casey Walsh" in escalation_emails[0].body
    event = AuditEvent.objects.get(action="dueitem.escalated")
    assert event.target_id == str(item.pk)
    assert event.changes == {"kind": "test_callback", "recipient": caseworker.pk,
                             "escalated_to": senior.pk}


def test_completed_work_does_not_escalate(chain):
    caseworker, _, _ = chain
    _schedule_callback(caseworker)
    assert _sweep_at(DUE).delivered == 1
    with time_machine.travel(DUE + timedelta(minutes=30)):
        complete(key="callback:1")
    assert _sweep_at(DUE + timedelta(hours=3)) == SweepResult()
    assert not InboxEntry.objects.filter(escalation=True).exists()


def test_a_kind_without_escalation_never_escalates(chain):
    caseworker, _, _ = chain
    with time_machine.travel(DUE, tick=False):
        schedule(kind="general", key="notice:1", recipient=caseworker, due_at=DUE,
                 message="Team meeting")
    assert _sweep_at(DUE).delivered == 1
    assert _sweep_at(DUE + timedelta(days=30)) == SweepResult()


def test_with_no_manager_available_it_waits_and_escalates_when_one_returns(chain):
    caseworker, manager, senior = chain
    senior.is_away = True
    senior.save(update_fields=["is_away"])
    item = _schedule_callback(caseworker)
    _sweep_at(DUE)

    assert _sweep_at(DUE + timedelta(hours=1)) == SweepResult(failed=1)
    item.refresh_from_db()
    assert item.escalated_at is None

    manager.is_away = False
    manager.save(update_fields=["is_away"])
    assert _sweep_at(DUE + timedelta(hours=1, minutes=1)) == SweepResult(escalated=1)
    item.refresh_from_db()
    assert item.escalated_to == manager

"""Escalation: an item still open ``escalate_after`` past due goes once up the chain (2.2, 7.3)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.constants import Role
from audit.models import AuditEvent
from notifications import services
from notifications.models import DueItem, InboxEntry
from notifications.services import (
    EmailResult,
    SweepResult,
    complete,
    schedule,
    send_pending_emails,
    sweep,
)
from tests.notifications.factories import SentDueItemFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True, params=["one statement", "portable"])
def writes(request, monkeypatch):
    """Run each test on both ways of writing escalations: PostgreSQL's one statement per
    batch, and the portable statements used on SQLite (``make run``), here on PostgreSQL."""
    if request.param == "portable":
        monkeypatch.setattr(services, "_write_escalations",
                            services._write_escalations_portable)
    return request.param

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
    """A sweep, then the email drain its task would ask for."""
    with time_machine.travel(moment, tick=False):
        result = sweep()
        send_pending_emails()
        return result


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
    assert entry.text == "Overdue: Call back Ms Jones"  # names no one (issue 16)
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


class _Unreachable(EmailBackend):
    def open(self):
        raise ConnectionRefusedError


def test_escalation_does_not_wait_for_the_email_and_the_email_follows(chain):
    caseworker, _, senior = chain
    item = _schedule_callback(caseworker)
    _sweep_at(DUE)
    with time_machine.travel(DUE + timedelta(hours=1), tick=False):
        assert sweep() == SweepResult(escalated=1)
        assert send_pending_emails(connection=_Unreachable()) == EmailResult(failed=1)
    item.refresh_from_db()
    assert (item.escalated_to, item.escalated_at) == (senior, DUE + timedelta(hours=1))
    assert item.escalation_emailed_at is None
    assert InboxEntry.objects.filter(recipient=senior, escalation=True).count() == 1
    assert not [m for m in mail.outbox if m.subject.startswith("Overdue")]

    assert _sweep_at(DUE + timedelta(hours=1, minutes=1)) == SweepResult()  # not escalated twice
    item.refresh_from_db()
    assert item.escalation_emailed_at == DUE + timedelta(hours=1, minutes=1)
    assert [m.to for m in mail.outbox if m.subject.startswith("Overdue")] == [
        ["senior@example.org"]]
    assert send_pending_emails() == EmailResult()
    assert InboxEntry.objects.filter(escalation=True).count() == 1
    assert AuditEvent.objects.filter(action="dueitem.escalated").count() == 1


def test_a_manager_without_an_address_is_told_in_the_inbox_only(chain):
    caseworker, _, senior = chain
    senior.email = ""
    senior.save(update_fields=["email"])
    item = _schedule_callback(caseworker)
    _sweep_at(DUE)
    assert _sweep_at(DUE + timedelta(hours=1)) == SweepResult(escalated=1)
    item.refresh_from_db()
    assert item.escalation_emailed_at == item.escalated_at  # no email owed
    assert InboxEntry.objects.filter(recipient=senior, escalation=True).count() == 1
    assert not [m for m in mail.outbox if m.subject.startswith("Overdue")]


def _statements(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries
            if q["sql"] not in ("BEGIN", "COMMIT")
            and not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


@pytest.mark.parametrize("teams", [1, 7])
def test_escalation_costs_the_same_queries_per_batch_however_deep_the_chain(
        make_user, teams, writes):
    """Each batch: lock the items, load the managers' chains, write the inbox entries and
    the items' escalation (one statement; two on the portable path), write the audit rows;
    however many people and levels."""
    ContentType.objects.get_for_model(DueItem)  # cached for the process, as in a worker
    for team in range(teams):
        top = make_user(Role.SENIOR_STAFF, username=f"top{team}")
        middle = make_user(Role.LINE_MANAGER, username=f"middle{team}", line_manager=top)
        away = make_user(Role.LINE_MANAGER, username=f"away{team}", line_manager=middle,
                         is_away=True)
        for n in range(3):
            worker = make_user(Role.CASEWORKER, username=f"worker{team}-{n}", line_manager=away)
            SentDueItemFactory(kind="test_callback", recipient=worker,
                               due_at=DUE - timedelta(hours=2))
    items = 3 * teams
    with CaptureQueriesContext(connection) as ctx, time_machine.travel(DUE, tick=False):
        assert sweep(batch_size=3) == SweepResult(escalated=items)
    statements = _statements(ctx)
    per_batch = 4 if writes == "one statement" else 5
    # one (empty) delivery statement, the escalation batches, one finding no more
    assert len(statements) == 1 + per_batch * teams + 1, "\n".join(statements)
    escalated = DueItem.objects.select_related("escalated_to")
    assert {i.escalated_to.username for i in escalated} == {f"middle{t}" for t in range(teams)}
    assert InboxEntry.objects.filter(escalation=True).count() == items
    assert AuditEvent.objects.filter(action="dueitem.escalated").count() == items

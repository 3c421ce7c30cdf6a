"""8.1 authorship: the log is written by whoever terminated the contact (after a take-over,
14.2, the manager), and a draft never given to the line manager is reminded the next working
day and then escalated."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from callogs import services
from callogs.constants import KIND_CALLLOG_DRAFT
from callogs.models import TerminatedCallLog
from contacts import services as contact_services
from contacts.constants import Behaviour, Ending
from notifications import kinds
from notifications.models import DueItem
from notifications.services import sweep
from tests.callogs.factories import LiveContactFactory

pytestmark = pytest.mark.django_db


def _abusive_contact(team):
    contact = LiveContactFactory(staff=team.caseworker)
    contact_services.contact_classify(contact=contact, actor=team.caseworker,
                                      behaviour=Behaviour.ABUSIVE)
    return contact


def test_manager_who_takes_over_and_ends_is_the_logs_author(team):
    team.manager.first_name, team.manager.last_name = "Morgan", "Reid"
    team.manager.save()
    contact = _abusive_contact(team)
    services.contact_take_over(contact=contact, actor=team.manager)
    contact_services.contact_end(contact=contact, actor=team.manager,
                                 ending=Ending.TERMINATED, explained=True)
    log = TerminatedCallLog.objects.get(contact=contact)
    assert log.author == team.manager
    assert log.staff_name == "Morgan Reid"  # the appendix's "Your name"
    contact.refresh_from_db()
    assert contact.ended_by == team.manager
    # The caseworker who started the contact is not the author: the log is not theirs.
    with pytest.raises(PermissionDenied):
        services.calllog_submit(log=log, actor=team.caseworker)


def test_caseworker_who_ends_is_the_author(team):
    contact = _abusive_contact(team)
    contact_services.contact_end(contact=contact, actor=team.caseworker,
                                 ending=Ending.TERMINATED, explained=True)
    assert TerminatedCallLog.objects.get(contact=contact).author == team.caseworker


def test_draft_is_reminded_next_working_day_and_completed_on_submit(team):
    contact = _abusive_contact(team)
    contact_services.contact_end(contact=contact, actor=team.caseworker,
                                 ending=Ending.TERMINATED, explained=True)
    log = TerminatedCallLog.objects.get(contact=contact)
    item = DueItem.objects.get(kind=KIND_CALLLOG_DRAFT, target_id=str(log.pk))
    assert item.recipient == team.caseworker
    due = timezone.localtime(item.due_at)
    assert due.hour == 9
    assert due.weekday() < 5
    assert due.date() > timezone.localdate()
    services.calllog_submit(log=log, actor=team.caseworker)
    item.refresh_from_db()
    assert item.completed_at is not None


def test_next_working_day_skips_the_weekend():
    friday = timezone.make_aware(datetime(2026, 12, 4, 16, 0))
    assert timezone.localtime(services.draft_reminder_due(friday)).date().isoformat() == \
        "2026-12-07"


def test_a_draft_left_alone_escalates_to_the_authors_manager(team):
    contact = _abusive_contact(team)
    contact_services.contact_end(contact=contact, actor=team.caseworker,
                                 ending=Ending.TERMINATED, explained=True)
    item = DueItem.objects.get(kind=KIND_CALLLOG_DRAFT)
    later = kinds.escalates_at(kinds.get(KIND_CALLLOG_DRAFT), item.due_at) + timedelta(minutes=1)
    sweep(now=item.due_at + timedelta(minutes=1))
    sweep(now=later)
    item.refresh_from_db()
    assert item.sent_at is not None
    assert item.escalated_to == team.manager

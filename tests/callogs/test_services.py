"""Terminated-call log services (8.1, 8.2, appendix) and manager take-over (14.2)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from audit.models import AuditEvent
from callogs import services
from callogs.constants import LogStatus
from callogs.models import TerminatedCallLog
from contacts.constants import Behaviour
from core import extensions
from notifications.models import DueItem
from tests.callogs.factories import (
    DraftLogFactory,
    LiveContactFactory,
    SubmittedLogFactory,
    TerminatedContactFactory,
)
from welfare.models import WelfareFollowUp

pytestmark = pytest.mark.django_db


def _end(contact, actor):
    """What the contacts app's end-contact service does inside its transaction."""
    for provider in extensions.contact_ended:
        provider(contact, actor)


def test_draft_is_prefilled_from_the_contact(team):
    contact = TerminatedContactFactory(staff=team.caseworker, caller_name="")
    log = services.calllog_create_draft(contact=contact, actor=team.caseworker)
    assert log.status == LogStatus.DRAFT
    assert log.author == team.caseworker
    assert log.caller_name == contact.customer.full_name
    assert log.case_reference == contact.case_reference.reference
    assert log.call_at == contact.started_at
    assert log.reason == contact.termination_reason
    assert log.staff_name == "Casey Walsh"
    assert AuditEvent.objects.filter(action="terminatedcalllog.created",
                                     target_id=str(log.pk)).exists()


def test_draft_is_created_once_per_contact(team):
    contact = TerminatedContactFactory(staff=team.caseworker)
    first = services.calllog_create_draft(contact=contact, actor=team.caseworker)
    again = services.calllog_create_draft(contact=contact, actor=team.caseworker)
    assert first.pk == again.pk
    assert TerminatedCallLog.objects.count() == 1


@pytest.mark.parametrize("who", ["manager", "caseworker2", "senior"])
def test_only_whoever_ended_the_contact_starts_its_log(team, who):
    """8.1, issue 17: the log_start screen's owner check is the service's own."""
    contact = TerminatedContactFactory(staff=team.caseworker)
    with pytest.raises(PermissionDenied, match="ended this contact"):
        services.calllog_create_draft(contact=contact, actor=getattr(team, who))
    assert not TerminatedCallLog.objects.exists()


def test_after_a_take_over_the_manager_who_ended_it_starts_the_log(team):
    contact = TerminatedContactFactory(staff=team.caseworker, ended_by=team.manager)
    with pytest.raises(PermissionDenied):
        services.calllog_create_draft(contact=contact, actor=team.caseworker)
    assert services.calllog_create_draft(contact=contact, actor=team.manager).author == (
        team.manager)


def test_a_contact_that_was_not_terminated_needs_no_log(team):
    contact = LiveContactFactory(staff=team.caseworker)
    with pytest.raises(ValidationError, match="terminated"):
        services.calllog_create_draft(contact=contact, actor=team.caseworker)


@pytest.mark.parametrize("behaviour", [Behaviour.OFFENSIVE, Behaviour.ABUSIVE])
def test_ending_an_offensive_or_abusive_contact_drafts_the_log_and_a_follow_up(team, behaviour):
    contact = TerminatedContactFactory(staff=team.caseworker, behaviour=behaviour)
    _end(contact, team.caseworker)
    assert TerminatedCallLog.objects.filter(contact=contact, status=LogStatus.DRAFT).exists()
    follow_up = WelfareFollowUp.objects.get(contact=contact)
    assert follow_up.manager == team.manager
    assert DueItem.objects.filter(kind="welfare_follow_up_due", recipient=team.manager).exists()


@pytest.mark.parametrize("behaviour", [Behaviour.DIFFICULT, Behaviour.PERSISTENT])
def test_ending_for_other_behaviour_drafts_the_log_without_a_follow_up(team, behaviour):
    contact = TerminatedContactFactory(staff=team.caseworker, behaviour=behaviour)
    _end(contact, team.caseworker)
    assert TerminatedCallLog.objects.filter(contact=contact).exists()
    assert not WelfareFollowUp.objects.exists()


def test_ending_without_terminating_creates_nothing(team):
    contact = LiveContactFactory(staff=team.caseworker, ended_at=timezone.now())
    _end(contact, team.caseworker)
    assert not TerminatedCallLog.objects.exists()
    assert not WelfareFollowUp.objects.exists()


def _update(log, actor, **overrides):
    values = {"caller_name": "A. Caller", "case_reference": "rfa0000099",
              "call_at": timezone.now() - timedelta(hours=1), "reason": "Shouting",
              "staff_name": "Casey Walsh", **overrides}
    return services.calllog_update(log=log, actor=actor, **values)


def test_author_edits_a_draft(team):
    log = DraftLogFactory(contact__staff=team.caseworker)
    log = _update(log, team.caseworker)
    log.refresh_from_db()
    assert log.caller_name == "A. Caller"
    assert log.case_reference == "RFA0000099"
    event = AuditEvent.objects.get(action="terminatedcalllog.updated")
    assert "caller_name" in event.changes


def test_nobody_else_edits_the_log(team):
    log = DraftLogFactory(contact__staff=team.caseworker)
    for someone in (team.caseworker2, team.manager):
        with pytest.raises(PermissionDenied):
            _update(log, someone)


def test_a_submitted_log_is_fixed(team):
    log = SubmittedLogFactory(contact__staff=team.caseworker)
    with pytest.raises(ValidationError, match="fixed"):
        _update(log, team.caseworker)


def test_call_time_cannot_be_in_the_future(team):
    log = DraftLogFactory(contact__staff=team.caseworker)
    with pytest.raises(ValidationError):
        _update(log, team.caseworker, call_at=timezone.now() + timedelta(hours=2))


def test_submitting_gives_the_log_to_the_line_manager_at_once(team):
    log = DraftLogFactory(contact__staff=team.caseworker)
    services.calllog_submit(log=log, actor=team.caseworker)
    log.refresh_from_db()
    assert log.status == LogStatus.SUBMITTED
    assert log.submitted_at is not None
    item = DueItem.objects.get(key=services.submitted_key(log))
    assert item.kind == "calllog_submitted"
    assert item.recipient == team.manager
    assert item.due_at <= timezone.now()
    assert AuditEvent.objects.filter(action="terminatedcalllog.submitted").exists()


def test_a_log_is_submitted_once(team):
    log = SubmittedLogFactory(contact__staff=team.caseworker)
    with pytest.raises(ValidationError, match="cannot be given to line manager"):
        services.calllog_submit(log=log, actor=team.caseworker)


def test_submitting_needs_a_line_manager(make_user):
    loner = make_user("Caseworker")
    log = DraftLogFactory(contact__staff=loner)
    with pytest.raises(ValidationError, match="no line manager"):
        services.calllog_submit(log=log, actor=loner)
    log.refresh_from_db()
    assert log.status == LogStatus.DRAFT


def test_the_database_refuses_an_unknown_status(team):
    log = DraftLogFactory(contact__staff=team.caseworker)
    with pytest.raises(IntegrityError):
        TerminatedCallLog.objects.filter(pk=log.pk).update(status="lost")


def test_placing_a_copy_in_the_case_file_records_when_and_by_whom(team):
    log = SubmittedLogFactory(contact__staff=team.caseworker)
    services.calllog_place_in_case_file(log=log, actor=team.caseworker)
    log.refresh_from_db()
    assert log.placed_in_case_file_by == team.caseworker
    assert log.placed_in_case_file_at is not None
    assert AuditEvent.objects.filter(action="terminatedcalllog.placed_in_case_file").exists()
    with pytest.raises(ValidationError, match="already"):
        services.calllog_place_in_case_file(log=log, actor=team.caseworker)


def test_no_case_file_without_a_case_reference(team):
    log = SubmittedLogFactory(contact__staff=team.caseworker, case_reference="")
    with pytest.raises(ValidationError, match="no case reference"):
        services.calllog_place_in_case_file(log=log, actor=team.caseworker)


def _review(log, actor, **overrides):
    values = {"discussed_on": timezone.localdate(), "staff_clear_about_circumstances": True,
              "effect_on_staff": "Shaken", "advice_and_support": "Took a break",
              "restriction_request_intended": False, "welfare_follow_up_requested": False,
              **overrides}
    return services.calllog_review(log=log, actor=actor, **values)


def test_line_manager_reviews_and_the_reminder_stops(team):
    log = DraftLogFactory(contact__staff=team.caseworker)
    services.calllog_submit(log=log, actor=team.caseworker)
    review = _review(log, team.manager, restriction_request_intended=True)
    log.refresh_from_db()
    assert log.status == LogStatus.REVIEWED
    assert review.restriction_request_intended
    assert DueItem.objects.get(key=services.submitted_key(log)).completed_at is not None
    assert not WelfareFollowUp.objects.exists()


def test_a_review_can_ask_for_a_welfare_follow_up(team):
    log = SubmittedLogFactory(contact__staff=team.caseworker,
                              contact__behaviour=Behaviour.DIFFICULT)
    _review(log, team.manager, welfare_follow_up_requested=True)
    follow_up = WelfareFollowUp.objects.get()
    assert follow_up.reason == "review"
    assert follow_up.staff == team.caseworker
    assert follow_up.manager == team.manager


@pytest.mark.parametrize("who", ["caseworker", "caseworker2", "other_manager"])
def test_only_a_manager_in_the_authors_chain_reviews(team, who):
    log = SubmittedLogFactory(contact__staff=team.caseworker)
    with pytest.raises(PermissionDenied, match="line manager, or a manager above them"):
        _review(log, getattr(team, who))


@pytest.mark.parametrize("who", ["senior", "head"])
def test_a_manager_above_the_line_manager_can_review_an_overdue_or_covered_log(team, who):
    """Issue 17: the 5-day escalation goes up the chain, so who it reaches can record the
    discussion (8.2, 2.2)."""
    log = SubmittedLogFactory(contact__staff=team.caseworker)
    review = _review(log, getattr(team, who))
    assert review.reviewer == getattr(team, who)


def test_a_log_goes_to_the_next_manager_up_when_the_line_manager_is_away(team):
    """Issue 17: calllog_submit used author.line_manager even when away (2.2)."""
    team.manager.is_away = True
    team.manager.save()
    log = DraftLogFactory(contact__staff=team.caseworker)
    services.calllog_submit(log=log, actor=team.caseworker)
    item = DueItem.objects.get(key=services.submitted_key(log))
    assert item.recipient == team.senior
    from callogs import selectors

    assert log in selectors.review_queue(team.senior)
    _review(log, team.senior)


def test_with_everyone_above_away_the_log_still_goes_to_the_line_manager(team):
    for person in (team.manager, team.senior, team.head):
        person.is_away = True
        person.save()
    log = DraftLogFactory(contact__staff=team.caseworker)
    services.calllog_submit(log=log, actor=team.caseworker)
    assert DueItem.objects.get(key=services.submitted_key(log)).recipient == team.manager


def test_a_draft_cannot_be_reviewed(team):
    log = DraftLogFactory(contact__staff=team.caseworker)
    with pytest.raises(ValidationError, match="draft"):
        _review(log, team.manager)


def test_a_discussion_cannot_be_dated_in_the_future(team):
    log = SubmittedLogFactory(contact__staff=team.caseworker)
    with pytest.raises(ValidationError):
        _review(log, team.manager, discussed_on=timezone.localdate() + timedelta(days=1))


@pytest.mark.parametrize("who", ["manager", "senior", "head"])
def test_a_manager_in_the_chain_above_takes_over_a_live_contact(team, who):
    contact = LiveContactFactory(staff=team.caseworker)
    manager = getattr(team, who)
    services.contact_take_over(contact=contact, actor=manager)
    contact.refresh_from_db()
    assert contact.taken_over_by == manager
    assert contact.taken_over_at is not None
    assert AuditEvent.objects.filter(action="contact.taken_over",
                                     target_id=str(contact.pk)).exists()


@pytest.mark.parametrize("who", ["caseworker2", "other_manager"])
def test_nobody_outside_the_chain_takes_over(team, who):
    contact = LiveContactFactory(staff=team.caseworker)
    with pytest.raises(PermissionDenied):
        services.contact_take_over(contact=contact, actor=getattr(team, who))


def test_an_ended_contact_cannot_be_taken_over(team):
    contact = TerminatedContactFactory(staff=team.caseworker)
    with pytest.raises(PermissionDenied):
        services.contact_take_over(contact=contact, actor=team.manager)


def test_a_contact_is_taken_over_once(team):
    contact = LiveContactFactory(staff=team.caseworker)
    services.contact_take_over(contact=contact, actor=team.manager)
    with pytest.raises(ValidationError, match="already"):
        services.contact_take_over(contact=contact, actor=team.senior)

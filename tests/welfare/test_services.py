"""Welfare follow-ups (8.2, 14.2) and distress flags (2.2)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from core.dates import add_working_days
from notifications import kinds
from notifications.models import DueItem
from tests.callogs.factories import LiveContactFactory, TerminatedContactFactory
from welfare import services
from welfare.constants import DistressStatus, FollowUpReason, FollowUpStatus
from welfare.models import WelfareFollowUp

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(("start", "days", "expected"), [
    (date(2026, 11, 23), 2, date(2026, 11, 25)),  # Monday -> Wednesday
    (date(2026, 11, 26), 2, date(2026, 11, 30)),  # Thursday -> Monday
    (date(2026, 11, 27), 2, date(2026, 12, 1)),   # Friday -> Tuesday
    (date(2026, 11, 28), 2, date(2026, 12, 1)),   # Saturday -> Tuesday
    (date(2026, 11, 27), 0, date(2026, 11, 27)),
])
def test_add_working_days_skips_weekends(start, days, expected):
    assert add_working_days(start, days) == expected


def _schedule(team, contact=None, reason=FollowUpReason.TERMINATION):
    return services.welfare_follow_up_schedule(
        staff=team.caseworker, contact=contact, reason=reason, actor=team.caseworker)


@time_machine.travel(datetime(2026, 11, 27, 10, 0, tzinfo=LONDON), tick=False)  # a Friday
def test_follow_up_is_due_within_two_working_days(team):
    follow_up = _schedule(team, TerminatedContactFactory(staff=team.caseworker))
    due = timezone.localtime(follow_up.due_at)
    assert due.date() == date(2026, 12, 1)  # Tuesday: the weekend does not count
    item = DueItem.objects.get(key=services.follow_up_key(follow_up))
    assert item.kind == "welfare_follow_up_due"
    assert item.recipient == team.manager
    assert item.due_at == follow_up.due_at
    assert AuditEvent.objects.filter(action="welfarefollowup.scheduled").exists()


@time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON), tick=False)  # a Monday
def test_the_number_of_working_days_is_a_setting(team, settings):
    settings.WELFARE_FOLLOW_UP_WORKING_DAYS = 5
    follow_up = _schedule(team)
    assert timezone.localtime(follow_up.due_at).date() == date(2026, 11, 30)


def test_an_overdue_follow_up_escalates_to_the_next_manager_up(team):
    follow_up = _schedule(team)
    item = DueItem.objects.get(key=services.follow_up_key(follow_up))
    kind = kinds.get("welfare_follow_up_due")
    assert kind.escalate_after is not None
    assert kind.escalate_to(item) == team.senior


def test_follow_up_goes_to_the_next_manager_when_the_line_manager_is_away(team):
    team.manager.is_away = True
    team.manager.save(update_fields=["is_away"])
    assert _schedule(team).manager == team.senior


def test_one_follow_up_per_contact(team):
    contact = TerminatedContactFactory(staff=team.caseworker)
    first = _schedule(team, contact)
    again = _schedule(team, contact, reason=FollowUpReason.REVIEW)
    assert first.pk == again.pk
    assert WelfareFollowUp.objects.count() == 1


def test_no_follow_up_without_any_manager(make_user):
    loner = make_user("Caseworker")
    assert services.welfare_follow_up_schedule(
        staff=loner, reason=FollowUpReason.REVIEW, actor=loner) is None


def _complete(follow_up, actor, **overrides):
    values = {"held_on": timezone.localdate(), "effect_on_staff": "Upset for the afternoon",
              "support_offered": "Employee assistance details given",
              "employee_assistance_referral": True, **overrides}
    return services.welfare_follow_up_complete(follow_up=follow_up, actor=actor, **values)


@pytest.mark.parametrize("who", ["manager", "senior", "head"])
def test_a_manager_above_records_the_meeting(team, who):
    follow_up = _schedule(team)
    _complete(follow_up, getattr(team, who))
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.COMPLETED
    assert follow_up.employee_assistance_referral
    assert DueItem.objects.get(key=services.follow_up_key(follow_up)).completed_at is not None
    with pytest.raises(ValidationError, match="already"):
        _complete(follow_up, team.manager)


@pytest.mark.parametrize("who", ["caseworker", "caseworker2", "other_manager"])
def test_nobody_else_records_the_meeting(team, who):
    follow_up = _schedule(team)
    with pytest.raises(PermissionDenied):
        _complete(follow_up, getattr(team, who))


def test_distress_reaches_the_line_manager_at_once(team):
    contact = LiveContactFactory(staff=team.caseworker)
    flag = services.distress_flag_raise(staff=team.caseworker, contact=contact, note="Shouting")
    assert flag.routed_to == team.manager
    item = DueItem.objects.get(key=services.distress_key(flag))
    assert item.kind == "distress_flag"
    assert item.recipient == team.manager
    assert item.due_at <= timezone.now()


def test_distress_goes_to_the_next_manager_up_when_the_line_manager_is_away(team):
    team.manager.is_away = True
    team.manager.save(update_fields=["is_away"])
    flag = services.distress_flag_raise(staff=team.caseworker)
    assert flag.routed_to == team.senior
    assert DueItem.objects.get(key=services.distress_key(flag)).recipient == team.senior


def test_distress_with_no_manager_is_refused_clearly(make_user):
    with pytest.raises(ValidationError, match="no manager available"):
        services.distress_flag_raise(staff=make_user("Caseworker"))


def test_the_manager_acknowledges_and_records_what_they_did(team):
    flag = services.distress_flag_raise(staff=team.caseworker)
    services.distress_flag_acknowledge(flag=flag, actor=team.manager,
                                       action_taken="Took over the call")
    flag.refresh_from_db()
    assert flag.status == DistressStatus.ACKNOWLEDGED
    assert flag.acknowledged_by == team.manager
    assert DueItem.objects.get(key=services.distress_key(flag)).completed_at is not None
    with pytest.raises(ValidationError, match="already"):
        services.distress_flag_acknowledge(flag=flag, actor=team.manager, action_taken="x")


@pytest.mark.parametrize("who", ["caseworker", "caseworker2", "other_manager"])
def test_nobody_else_acknowledges(team, who):
    flag = services.distress_flag_raise(staff=team.caseworker)
    with pytest.raises(PermissionDenied):
        services.distress_flag_acknowledge(flag=flag, actor=getattr(team, who), action_taken="x")


def test_a_distress_flag_names_only_a_contact_the_staff_member_handles(team):
    """2.2, issue 17: the screen dropped someone else's contact; the service refuses it."""
    theirs = LiveContactFactory(staff=team.caseworker2)
    with pytest.raises(PermissionDenied, match="only a contact you are handling"):
        services.distress_flag_raise(staff=team.caseworker, contact=theirs)
    mine = LiveContactFactory(staff=team.caseworker)
    assert services.distress_flag_raise(staff=team.caseworker, contact=mine).contact == mine

"""Welfare pages: only the staff member and managers above see them; every view audited."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from tests.callogs.factories import LiveContactFactory, TerminatedContactFactory
from welfare import services
from welfare.constants import DistressStatus, FollowUpReason, FollowUpStatus
from welfare.models import DistressFlag

pytestmark = pytest.mark.django_db


@pytest.fixture
def follow_up(team):
    return services.welfare_follow_up_schedule(
        staff=team.caseworker, contact=TerminatedContactFactory(staff=team.caseworker),
        reason=FollowUpReason.TERMINATION, actor=team.caseworker)


@pytest.mark.parametrize(("who", "status"), [
    ("caseworker", 200), ("manager", 200), ("senior", 200), ("head", 200),
    ("caseworker2", 403), ("other_manager", 403), ("other_caseworker", 403),
])
def test_follow_up_is_seen_only_by_the_staff_member_and_managers_above(
        team, client_for, follow_up, who, status):
    user = getattr(team, who)
    response = client_for(user).get(reverse("welfare:follow_up_detail", args=[follow_up.pk]))
    assert response.status_code == status
    viewed = AuditEvent.objects.filter(action="welfarefollowup.viewed", actor=user,
                                       target_id=str(follow_up.pk))
    assert viewed.exists() is (status == 200)


def test_follow_up_page_shows_the_sickness_absence_note(team, client_for, follow_up):
    html = client_for(team.caseworker).get(
        reverse("welfare:follow_up_detail", args=[follow_up.pk])).content.decode()
    assert "Managing Sickness Absence Policy (15.6)" in html
    assert "Record the meeting" not in html  # the staff member reads; managers record


def test_follow_up_appears_in_the_managers_work(team, client_for, follow_up):
    response = client_for(team.manager).get(reverse("welfare:home"))
    assert [f.pk for f in response.context["to_hold"]] == [follow_up.pk]
    other = client_for(team.other_manager).get(reverse("welfare:home"))
    assert other.context["to_hold"] == []


def _meeting(**overrides):
    today = timezone.localdate()
    return {"held_on_0": today.day, "held_on_1": today.month, "held_on_2": today.year,
            "effect_on_staff": "Shaken", "support_offered": "EAP details",
            "employee_assistance_referral": "on", **overrides}


def test_manager_records_the_meeting(team, client_for, follow_up):
    url = reverse("welfare:follow_up_detail", args=[follow_up.pk])
    response = client_for(team.manager).post(url, _meeting())
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.COMPLETED
    assert follow_up.employee_assistance_referral


def test_meeting_form_errors_are_shown(team, client_for, follow_up):
    url = reverse("welfare:follow_up_detail", args=[follow_up.pk])
    response = client_for(team.manager).post(url, _meeting(effect_on_staff="",
                                                           support_offered="Kept"))
    assert response.status_code == 200
    assert "Enter the effect on the staff member" in response.content.decode()
    assert "Kept" in response.content.decode()


@pytest.mark.parametrize("who", ["caseworker", "caseworker2", "other_manager"])
def test_meeting_cannot_be_recorded_by_others(team, client_for, follow_up, who):
    url = reverse("welfare:follow_up_detail", args=[follow_up.pk])
    response = client_for(getattr(team, who)).post(url, _meeting())
    assert response.status_code in (302, 403)
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.SCHEDULED


def test_header_has_the_distress_link(team, client_for):
    html = client_for(team.caseworker).get(reverse("core:home")).content.decode()
    assert reverse("welfare:distress_raise") in html
    assert "I feel uncomfortable or distressed" in html


def test_raising_distress_from_a_contact(team, client_for):
    contact = LiveContactFactory(staff=team.caseworker)
    client = client_for(team.caseworker)
    url = reverse("welfare:distress_raise") + f"?contact={contact.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"note": "Caller is shouting"})
    flag = DistressFlag.objects.get()
    assert response.url == reverse("welfare:distress_detail", args=[flag.pk])
    assert flag.contact == contact
    assert flag.routed_to == team.manager


def test_distress_cannot_be_tied_to_someone_elses_contact(team, client_for):
    contact = LiveContactFactory(staff=team.caseworker2)
    client_for(team.caseworker).post(
        reverse("welfare:distress_raise") + f"?contact={contact.pk}", {"note": ""})
    assert DistressFlag.objects.get().contact is None


def test_distress_without_a_manager_is_a_clear_message(make_user, client_for):
    response = client_for(make_user("Caseworker")).post(reverse("welfare:distress_raise"),
                                                        {"note": ""})
    assert response.status_code == 200
    assert "no manager available" in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [
    ("caseworker", 200), ("manager", 200), ("senior", 200),
    ("caseworker2", 403), ("other_manager", 403),
])
def test_distress_flag_visibility(team, client_for, who, status):
    flag = services.distress_flag_raise(staff=team.caseworker)
    user = getattr(team, who)
    response = client_for(user).get(reverse("welfare:distress_detail", args=[flag.pk]))
    assert response.status_code == status
    assert AuditEvent.objects.filter(action="distressflag.viewed", actor=user).exists() is (
        status == 200)


def test_manager_acknowledges_through_the_page(team, client_for):
    flag = services.distress_flag_raise(staff=team.caseworker)
    url = reverse("welfare:distress_detail", args=[flag.pk])
    response = client_for(team.manager).post(url, {"action_taken": "Took over the call"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.status == DistressStatus.ACKNOWLEDGED
    refused = client_for(team.caseworker).post(url, {"action_taken": "x"}, follow=True)
    assert "cannot be acknowledged by you" in refused.content.decode()


def test_unknown_records_are_404(team, client_for):
    client = client_for(team.manager)
    assert client.get(reverse("welfare:follow_up_detail", args=[9999])).status_code == 404
    assert client.get(reverse("welfare:distress_detail", args=[9999])).status_code == 404

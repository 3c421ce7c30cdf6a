"""7.2, 12.1: the Head of the requester's department decides, holding that role; a deputy
decides only while appointed acting Head (recorded: who appointed them, from, until)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts_services
from accounts.constants import Role
from audit.models import AuditEvent
from notifications.models import DueItem
from restrictions import services
from restrictions.constants import Kind, Status, Term
from restrictions.services import Proposal

pytestmark = pytest.mark.django_db


def _proposal() -> Proposal:
    return Proposal(start_date=timezone.localdate(), grounds="Calls daily (7.2)",
                    terms=[Term.WRITTEN_ONLY])


def test_a_recorded_head_without_the_role_cannot_decide(org, submitted):
    org.head.groups.clear()
    org.head._role_names = None
    with pytest.raises(PermissionDenied, match="Only the Head of Department of Customer"):
        services.restriction_approve(restriction=submitted, actor=org.head)


@pytest.mark.parametrize("when", ["not started", "over", "ended early"])
def test_a_deputy_decides_only_while_the_acting_appointment_runs(org, submitted, when):
    today = timezone.localdate()
    if when == "not started":
        org.acting.starts_on, org.acting.ends_on = today + timedelta(1), today + timedelta(5)
    elif when == "over":
        org.acting.starts_on, org.acting.ends_on = today - timedelta(9), today - timedelta(1)
    else:
        org.acting.ended_early_on = today
    org.acting.save()
    with pytest.raises(PermissionDenied, match="acting Head of Department"):
        services.restriction_approve(restriction=submitted, actor=org.deputy)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_an_acting_heads_decision_is_recorded_and_the_letter_says_acting(org, submitted,
                                                                        client_for):
    services.restriction_approve(restriction=submitted, actor=org.deputy)
    submitted.refresh_from_db()
    assert submitted.decided_as_acting is True
    html = client_for(org.manager).get(
        reverse("restrictions:letter", args=[submitted.pk])).content.decode()
    assert "Acting Head of Department, Customer Contact" in html


def test_the_heads_own_decision_letter_says_head_of_department(org, submitted, client_for):
    services.restriction_approve(restriction=submitted, actor=org.head)
    submitted.refresh_from_db()
    assert submitted.decided_as_acting is False
    html = client_for(org.manager).get(
        reverse("restrictions:letter", args=[submitted.pk])).content.decode()
    assert "Acting Head" not in html
    assert "Head of Department, Customer Contact" in html


def test_a_heads_own_request_without_an_acting_head_says_who_decides(org):
    """Issue 25: the old message said the department had no Head: untrue for its Head."""
    org.acting.delete()
    with pytest.raises(ValidationError) as caught:
        services.restriction_create(requested_by=org.head, customer=org.customer,
                                    kind=Kind.RESTRICTION, proposal=_proposal(), submit=True)
    message = " ".join(caught.value.messages)
    assert "You are the Head of Department of Customer Contact" in message
    assert "acting Head of Department" in message
    assert "administrator" in message


def test_a_heads_own_request_goes_to_the_acting_head_who_decides_it(org):
    restriction = services.restriction_create(
        requested_by=org.head, customer=org.customer, kind=Kind.RESTRICTION,
        proposal=_proposal(), submit=True)
    assert DueItem.objects.get(kind="restriction_decision_needed").recipient == org.deputy
    services.restriction_approve(restriction=restriction, actor=org.deputy)
    restriction.refresh_from_db()
    assert (restriction.decided_by, restriction.decided_as_acting) == (org.deputy, True)


def test_a_department_with_a_head_who_lacks_the_role_is_told_so(org):
    org.head.groups.clear()
    org.acting.delete()
    with pytest.raises(ValidationError, match="no Head of Department \\(holding that role\\)"):
        services.restriction_create(requested_by=org.manager, customer=org.customer,
                                    kind=Kind.RESTRICTION, proposal=_proposal(), submit=True)


def test_a_new_request_starts_today_by_default(org, client_for):
    """Issue 25: the request form's start date is today unless changed."""
    html = client_for(org.manager).get(
        reverse("restrictions:create", args=[org.customer.pk])).content.decode()
    today = timezone.localdate()
    assert f'value="{today.day}"' in html
    assert f'value="{today.year}"' in html


# --- the services that change who heads or acts (accounts.services) ------------------------


@pytest.mark.parametrize("who", ["head", "deputy", "senior", "manager", "compliance"])
def test_only_an_administrator_changes_heads_and_acting_heads(org, who):
    actor = getattr(org, who)
    today = timezone.localdate()
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        accounts_services.department_head_set(department=org.dept, head=org.deputy,
                                              actor=actor, reason="Reorganisation")
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        accounts_services.acting_head_appoint(
            department=org.dept, acting_head=org.senior, actor=actor, starts_on=today,
            ends_on=today + timedelta(days=3), reason="Leave")
    with pytest.raises(PermissionDenied):
        accounts_services.acting_head_end(appointment=org.acting, actor=actor, reason="Back")


def test_the_head_must_hold_the_role_and_the_change_is_audited(org, make_user):
    plain = make_user(Role.LINE_MANAGER, department=org.dept)
    with pytest.raises(ValidationError, match="does not hold the Head of Department role"):
        accounts_services.department_head_set(department=org.dept, head=plain,
                                              actor=org.admin, reason="New head")
    accounts_services.department_head_set(department=org.dept, head=org.deputy,
                                           actor=org.admin, reason="New head")
    org.dept.refresh_from_db()
    assert org.dept.head == org.deputy
    event = AuditEvent.objects.get(action="department.head_changed")
    assert event.actor == org.admin
    assert event.changes["head"] == [org.head.pk, org.deputy.pk]


def test_an_acting_appointment_is_bounded_and_records_who_appointed_it(org, settings):
    settings.ACCOUNTS_ACTING_HEAD_MAX_DAYS = 10
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        accounts_services.acting_head_appoint(
            department=org.dept, acting_head=org.senior, actor=org.admin,
            starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=20),
            reason="")
    assert set(caught.value.message_dict) == {"starts_on", "ends_on", "reason"}
    appointment = accounts_services.acting_head_appoint(
        department=org.dept, acting_head=org.senior, actor=org.admin, starts_on=today,
        ends_on=today + timedelta(days=9), reason="Head on leave")
    assert (appointment.appointed_by, appointment.runs_on(today)) == (org.admin, True)
    assert AuditEvent.objects.filter(action="actingheadofdepartment.appointed").exists()


def test_ending_an_acting_appointment_stops_its_decisions_at_once(org, submitted):
    accounts_services.acting_head_end(appointment=org.acting, actor=org.admin,
                                      reason="The Head is back")
    with pytest.raises(PermissionDenied):
        services.restriction_approve(restriction=submitted, actor=org.deputy)
    with pytest.raises(ValidationError, match="already ended"):
        accounts_services.acting_head_end(appointment=org.acting, actor=org.admin,
                                          reason="Again")

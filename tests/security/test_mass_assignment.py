"""Proof 3 (issue 8): protected fields posted to the forms change nothing.

The forms are plain ``forms.Form`` classes whose cleaned data the views pass field by field
to the services, so an extra POST key has nowhere to go; these tests keep it that way.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Contact
from restrictions.constants import Status
from restrictions.models import Restriction
from tests.security.world import World

pytestmark = pytest.mark.django_db

PROTECTED = {"status": "approved", "decided_by": "", "staff": "", "recorded_by": "",
             "approved_by": "", "customer": "", "requested_by": "", "author": "",
             "department": "", "taken_over_by": "", "decided_at": "2020-01-01T00:00",
             "acknowledged_by": "", "assessed_by": "", "id": "999", "pk": "999"}


@pytest.fixture
def world():
    return World()


def _protected(world, other):
    data = dict(PROTECTED)
    for key in ("decided_by", "staff", "recorded_by", "approved_by", "requested_by", "author",
                "taken_over_by", "acknowledged_by", "assessed_by"):
        data[key] = str(world.actor(other).pk)
    data["customer"] = str(world.customer.pk)
    return data


def _date(prefix: str, day) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_contact_log_ignores_staff_customer_and_status(world, client_for):
    from tests.contacts.factories import CustomerFactory

    elsewhere = CustomerFactory()
    data = {**_protected(world, "hod"), "channel": "phone", "direction": "inbound",
            "case_reference": "", "summary": "Asked about the case",
            "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    data["customer"] = str(elsewhere.pk)
    response = client_for(world.caseworker).post(
        reverse("contacts:contact_log", args=[world.customer.pk]), data)
    assert response.status_code == 302
    contact = Contact.objects.get(summary="Asked about the case")
    assert contact.staff == world.caseworker
    assert contact.customer == world.customer
    assert contact.taken_over_by is None


def test_restriction_request_cannot_approve_itself(world, client_for):
    today = timezone.localdate()
    data = {**_protected(world, "hod"), "grounds": "Daily calls", "terms": ["written_only"],
            **_date("start_date", today), **_date("review_date", today + timedelta(days=60)),
            "submit_for_decision": "Submit"}
    response = client_for(world.manager).post(
        reverse("restrictions:create", args=[world.customer.pk]) + "?kind=restriction", data)
    assert response.status_code == 302, response.content.decode()[:500]
    restriction = Restriction.objects.get()
    assert restriction.status == Status.SUBMITTED
    assert restriction.decided_by is None
    assert restriction.decided_at is None
    assert restriction.requested_by == world.manager
    assert restriction.department == world.manager.department


def test_log_edit_ignores_author_and_status(world, client_for):
    log = world.draft_log
    data = {**_protected(world, "peer"), "caller_name": "Jo", "case_reference": "",
            "call_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "reason": "Abuse after warning", "staff_name": "Case Worker"}
    client_for(world.caseworker).post(reverse("callogs:log_edit", args=[log.pk]), data)
    log.refresh_from_db()
    assert log.author == world.caseworker
    assert log.status == "draft"
    assert log.reviewed_at is None


def test_at_risk_report_ignores_status_and_acknowledgement(world, client_for):
    from atrisk.constants import ReportStatus
    from atrisk.models import AtRiskReport

    data = {**_protected(world, "senior"), "source": "telephone", "threat_type": "self_harm",
            "what_was_said": "Said they would hurt themselves",
            "threat_made_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "emergency_advice": "advised"}
    data["customer"] = world.customer.reference
    response = client_for(world.caseworker).post(reverse("atrisk:report_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert AtRiskReport.objects.count() == 1
    for report in AtRiskReport.objects.all():
        assert report.raised_by == world.caseworker
        assert report.acknowledged_by is None
        assert report.assessed_by is None
        assert report.status == ReportStatus.values[0]

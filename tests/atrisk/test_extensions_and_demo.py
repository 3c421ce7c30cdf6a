"""What at-risk adds to the contact screen through core.extensions (11.2, 11.3), and the
demo loader."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from accounts.constants import Role
from atrisk.constants import ReportStatus
from atrisk.demo import load_demo
from atrisk.models import AtRiskReport, DutyRota, VitalInterestsDisclosure
from core import extensions
from tests.atrisk.factories import AtRiskReportFactory, ContactFactory

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_contact_screen_offers_raise_an_at_risk_report(make_user):
    caseworker = make_user(Role.CASEWORKER)
    contact = ContactFactory(staff=caseworker)
    actions = extensions.collect(extensions.contact_actions, _request(caseworker), contact)
    ours = [a for a in actions if a.label == "Raise an at-risk report"]
    assert len(ours) == 1
    assert ours[0].url == f"/at-risk/new/?contact={contact.pk}"


def test_the_script_banner_shows_while_a_live_contact_has_an_open_report(make_user):
    caseworker = make_user(Role.CASEWORKER)
    contact = ContactFactory(staff=caseworker)
    template = Template('{% load extensions %}{% render_panels "contact_banners" contact %}')

    def render():
        return template.render(Context({"request": _request(caseworker), "contact": contact}))

    assert "emergency services" not in render()
    report = AtRiskReportFactory(raised_by=caseworker, contact=contact)
    html = render()
    assert "At-risk report open: what to say" in html
    assert "not personally responsible" in html
    assert "not qualified to judge" in html
    # Ended contact: no banner.
    contact.ended_at = timezone.now() + timedelta(minutes=1)
    assert "what to say" not in render()
    contact.ended_at = None
    # Report assessed (closed): no banner.
    AtRiskReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.ASSESSED, acknowledged_by=caseworker, acknowledged_at=timezone.now(),
        assessed_by=caseworker, agencies_contacted=False)
    assert "what to say" not in render()


def test_demo_loader_is_idempotent(make_user):
    manager = make_user(Role.LINE_MANAGER, username="manager")
    make_user(Role.SENIOR_STAFF, Role.LINE_MANAGER, username="senior")
    make_user(Role.CASEWORKER, username="caseworker", line_manager=manager)
    make_user(Role.ADMINISTRATOR, username="admin")
    load_demo()
    load_demo()
    assert DutyRota.objects.filter(senior__username="senior").count() == 1
    report = AtRiskReport.objects.get()
    assert report.status == ReportStatus.ACKNOWLEDGED
    assert report.acknowledged_by.username == "senior"
    assert VitalInterestsDisclosure.objects.filter(report=report).count() == 1

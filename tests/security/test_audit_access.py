"""Proof 8 (issue 8): refused attempts are audited; Compliance searches the trail; a manager
sees one customer's record history; the search accepts declared filter values only (proof 4).
"""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import audit_record, audit_viewed
from tests.contacts.factories import ContactFactory
from tests.security.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def test_a_refused_attempt_writes_access_refused(world, client_for):
    url = reverse("contacts:contact_detail", args=[world.contact.pk])
    response = client_for(world.peer).get(url)
    assert response.status_code == 403
    event = AuditEvent.objects.get(action="access.refused")
    assert event.actor == world.peer
    assert event.changes == {"url_name": "contacts:contact_detail",
                             "kwargs": {"pk": str(world.contact.pk)}, "method": "GET"}


def test_a_refused_post_is_audited_too(world, client_for):
    client_for(world.caseworker).post(reverse("privacy:retention"), {})
    assert AuditEvent.objects.filter(action="access.refused", actor=world.caseworker,
                                     changes__method="POST").exists()


def test_sensitive_views_are_audited_across_apps(world, client_for):
    """Grounds, at-risk reports and welfare records write a ``*.viewed`` event when opened."""
    pages = [
        (world.hod, reverse("restrictions:grounds", args=[world.restriction.pk])),
        (world.senior, reverse("atrisk:report_detail", args=[world.report.pk])),
        (world.manager, reverse("welfare:follow_up_detail", args=[world.follow_up.pk])),
    ]
    for user, url in pages:
        before = AuditEvent.objects.filter(action__endswith=".viewed").count()
        assert client_for(user).get(url).status_code == 200
        assert AuditEvent.objects.filter(action__endswith=".viewed").count() > before, url


def test_compliance_searches_by_actor_action_dates_and_record(world, client_for):
    audit_record(actor=world.manager, action="restriction.approved", target=world.restriction)
    audit_viewed(actor=world.hod, target=world.customer, what="page")
    client = client_for(world.compliance)
    response = client.get(reverse("audit:search"), {"actor": "w_manager",
                                                    "action": "restriction.approved"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<td class="govuk-table__cell">restriction.approved</td>' in html
    assert '<td class="govuk-table__cell">customer.viewed</td>' not in html
    response = client.get(reverse("audit:search"), {
        "record_type": "restrictions.restriction", "record_id": str(world.restriction.pk),
        "date_from": "2000-01-01", "date_to": "2999-12-31"})
    assert "restriction.approved" in response.content.decode()
    assert AuditEvent.objects.filter(action="auditevent.searched",
                                     actor=world.compliance).exists()


@pytest.mark.parametrize("params", [
    {"action": "decided_by__password"},
    {"record_type": "accounts.user__password"},
    {"record_id": "1 OR 1=1"},
    {"date_from": "yesterday"},
    {"date_from": "2026-02-01", "date_to": "2026-01-01"},
])
def test_search_refuses_undeclared_filter_values(world, client_for, params):
    response = client_for(world.compliance).get(reverse("audit:search"), params)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_unknown_parameters_such_as_ordering_are_ignored(world, client_for):
    audit_record(actor=world.manager, action="a.first")
    audit_record(actor=world.manager, action="a.second")
    response = client_for(world.compliance).get(
        reverse("audit:search"),
        {"actor": "w_manager", "o": "-actor__password", "ordering": "actor__password"})
    events = list(response.context["page"].object_list)
    assert [e.action for e in events[:2]] == ["a.second", "a.first"]  # default ordering


def test_search_is_paginated(world, client_for):
    for n in range(55):
        audit_record(actor=world.manager, action=f"x.n{n}")
    response = client_for(world.compliance).get(reverse("audit:search"), {"actor": "w_manager"})
    assert len(response.context["page"].object_list) == 50
    assert "page=2" in response.content.decode()


@pytest.mark.parametrize("actor", ["caseworker", "peer", "manager", "hod", "admin"])
def test_only_compliance_searches(world, client_for, actor):
    assert client_for(world.actor(actor)).get(reverse("audit:search")).status_code == 403


def test_customer_history_shows_customer_and_contact_events_only(world, client_for):
    audit_viewed(actor=world.hod, target=world.customer, what="page")
    audit_record(actor=world.caseworker, action="contact.classified", target=world.contact)
    other_contact = ContactFactory(staff=world.caseworker)  # another customer's
    audit_record(actor=world.caseworker, action="contact.ended", target=other_contact)
    response = client_for(world.manager).get(
        reverse("audit:customer_history", args=[world.customer.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "customer.viewed" in html
    assert "contact.classified" in html
    assert "contact.ended" not in html
    assert AuditEvent.objects.filter(action="customer.history_viewed",
                                     actor=world.manager).exists()


def test_caseworkers_do_not_see_record_history(world, client_for):
    url = reverse("audit:customer_history", args=[world.customer.pk])
    assert client_for(world.caseworker).get(url).status_code == 403


def test_two_factor_next_is_not_an_open_redirect(client, make_user):
    """``?next=`` after the two-factor code only goes to a page of this site."""
    from accounts.views import _safe_next

    class Req:
        GET = {"next": "https://evil.example/"}

        def get_host(self):
            return "testserver"

        def is_secure(self):
            return False

    assert _safe_next(Req()) == "core:home"
    Req.GET = {"next": "/customers/"}
    assert _safe_next(Req()) == "/customers/"


def test_customer_page_links_managers_to_the_history(world, client_for):
    url = reverse("contacts:customer_detail", args=[world.customer.pk])
    history = reverse("audit:customer_history", args=[world.customer.pk])
    assert history in client_for(world.manager).get(url).content.decode()
    assert history not in client_for(world.caseworker).get(url).content.decode()

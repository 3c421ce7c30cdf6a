"""The customer's history page (issue 16): everything, newest first, paginated, at-risk
reports only for those allowed, and the same number of queries for 5 and 500 items."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from callogs.models import TerminatedCallLog
from contacts.constants import HandlingStepKind
from contacts.history import PAGE_SIZE
from contacts.models import Callback, HandlingStep
from documents.constants import DocumentKind, DocumentLanguage
from documents.models import StoredDocument
from restrictions.models import RestrictionTransition
from tests.accounts.factories import DepartmentFactory, UserFactory
from tests.atrisk.factories import AtRiskReportFactory
from tests.contacts.factories import ContactFactory, CustomerFactory
from tests.restrictions.factories import ApprovedRestrictionFactory

pytestmark = pytest.mark.django_db
KINDS = 5


def _letter(customer, transition, issued_by, at):
    """A stored decision letter (its file is not read by the history page)."""
    return StoredDocument.objects.create(
        reference=f"L-{transition.pk}", kind=DocumentKind.RESTRICTION_DECIDED,
        language=DocumentLanguage.values[0], title="Decision letter", customer=customer,
        source=transition, file=f"letters/{transition.pk}.pdf", sha256="0" * 64, size=1,
        template="documents/letter.html", context={}, issued_by=issued_by, issued_at=at)


def _history(customer, staff, manager, items: int) -> None:
    """``items`` entries, the five kinds in turn, so every page holds each kind."""
    decider = UserFactory(roles=[Role.HEAD_OF_DEPARTMENT], department=manager.department)
    restriction = ApprovedRestrictionFactory(customer=customer, requested_by=manager,
                                             decided_by=decider)
    now = timezone.now()
    for i in range(items):
        at = now - timedelta(minutes=i)
        kind = i % KINDS
        if kind in (0, 1, 2):
            contact = ContactFactory(customer=customer, staff=staff, started_at=at,
                                     ended_at=at)
            if kind == 0:
                HandlingStep.objects.create(contact=contact, recorded_by=staff,
                                            step=HandlingStepKind.TOLD_WILL_CONSULT)
            if kind == 1:
                Callback.objects.create(contact=contact, assigned_to=staff, arranged_by=staff,
                                        due_at=at - timedelta(seconds=20))
            if kind == 2:
                TerminatedCallLog.objects.create(contact=contact, author=staff,
                                                 call_at=at - timedelta(seconds=20),
                                                 reason="Abuse", staff_name="Cas")
        elif kind == 3:
            transition = RestrictionTransition.objects.create(
                restriction=restriction, action="approve", from_status="submitted",
                to_status="approved", actor=manager, occurred_at=at)
            _letter(customer, transition, manager, at - timedelta(seconds=20))
        else:
            AtRiskReportFactory(raised_by=staff, customer=customer, raised_at=at)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def test_the_query_count_is_the_same_for_5_and_500_items(client_for, make_user):
    senior = make_user(Role.SENIOR_STAFF)
    manager = make_user(Role.LINE_MANAGER, department=DepartmentFactory(), line_manager=senior)
    staff = make_user(Role.CASEWORKER, line_manager=manager)
    few, many = CustomerFactory(), CustomerFactory()
    _history(few, staff, manager, 5)
    _history(many, staff, manager, 500)
    client = client_for(senior)
    # the first request fills Django's process-wide ContentType cache (the letters' sources)
    _queries(client, reverse("contacts:customer_history", args=[few.pk]))
    small = _queries(client, reverse("contacts:customer_history", args=[few.pk]))
    large = _queries(client, reverse("contacts:customer_history", args=[many.pk]))
    assert small == large, "the history page's queries grew with its length"
    later = _queries(client, reverse("contacts:customer_history", args=[many.pk]) + "?page=7")
    assert later == large


def test_everything_is_there_newest_first_and_paginated(client_for, make_user):
    senior = make_user(Role.SENIOR_STAFF)
    manager = make_user(Role.LINE_MANAGER, department=DepartmentFactory(), line_manager=senior)
    staff = make_user(Role.CASEWORKER, line_manager=manager)
    customer = CustomerFactory()
    _history(customer, staff, manager, 30)
    client = client_for(senior)  # above the caseworker: sees the contacts' details
    response = client.get(reverse("contacts:customer_history", args=[customer.pk]))
    entries = response.context["page"].object_list
    assert len(entries) == PAGE_SIZE
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    assert {e.kind for e in entries} == {"contact", "callback", "call_log", "decision",
                                         "at_risk", "letter"}
    html = response.content.decode()
    assert "Told the customer I need to consult someone" in html
    assert "Terminated-call log (8.1)" in html
    assert "Page 1 of" in html
    # 18 contacts, 6 callbacks and 6 call logs on 12 of them, 6 decisions (each with its
    # letter), 6 reports
    assert response.context["page"].paginator.count == 18 + 6 + 6 + 6 + 6 + 6


def test_at_risk_reports_only_for_those_allowed(client_for, make_user):
    manager = make_user(Role.LINE_MANAGER, department=DepartmentFactory())
    staff = make_user(Role.CASEWORKER, line_manager=manager)
    customer = CustomerFactory()
    AtRiskReportFactory(raised_by=staff, customer=customer)
    url = reverse("contacts:customer_history", args=[customer.pk])
    assert "At-risk report" in client_for(make_user(Role.SENIOR_STAFF)).get(url).content.decode()
    assert "At-risk report" in client_for(staff).get(url).content.decode()  # the reporter
    other = make_user(Role.CASEWORKER)
    assert "At-risk report" not in client_for(other).get(url).content.decode()


def test_customer_facing_staff_may_see_it_and_others_may_not(client, client_for, make_user):
    customer = CustomerFactory()
    url = reverse("contacts:customer_history", args=[customer.pk])
    for role in Role.values:
        expected = 403 if role == Role.ADMINISTRATOR else 200  # they see no customer records
        assert client_for(make_user(role)).get(url).status_code == expected
    assert client_for(make_user()).get(url).status_code == 403  # no role at all
    assert client.get(url).status_code == 302


def test_letters_are_in_the_history_for_those_who_may_open_them(client_for, make_user):
    senior = make_user(Role.SENIOR_STAFF)
    manager = make_user(Role.LINE_MANAGER, department=DepartmentFactory(), line_manager=senior)
    staff = make_user(Role.CASEWORKER, line_manager=manager)
    customer = CustomerFactory()
    _history(customer, staff, manager, KINDS)
    letter = StoredDocument.objects.get(customer=customer)
    url = reverse("contacts:customer_history", args=[customer.pk])
    assert letter.reference in client_for(senior).get(url).content.decode()
    other = make_user(Role.CASEWORKER, department=DepartmentFactory())
    response = client_for(other).get(url)
    assert response.status_code in (200, 403)
    assert letter.reference not in response.content.decode()


def test_every_full_page_has_25_rows_when_letters_are_hidden_from_the_viewer(client_for,
                                                                             make_user):
    """Letters the viewer may not open are cut before paginating, not after (issue 16)."""
    senior = make_user(Role.SENIOR_STAFF)
    manager = make_user(Role.LINE_MANAGER, department=DepartmentFactory(), line_manager=senior)
    staff = make_user(Role.CASEWORKER, line_manager=manager)
    customer = CustomerFactory()
    _history(customer, staff, manager, 100)  # 160 entries, 20 of them letters
    viewer = staff  # a caseworker: sees the contacts and reports, not the letters (12)
    url = reverse("contacts:customer_history", args=[customer.pk])
    client = client_for(viewer)
    first = client.get(url).context["page"]
    # 60 contacts, 20 callbacks, 20 call logs, 20 decisions, 20 reports; no letter
    assert first.paginator.count == 140
    seen = []
    for number in first.paginator.page_range:
        page = client.get(url + f"?page={number}").context["page"]
        if page.has_next():
            assert len(page.object_list) == PAGE_SIZE, number
        seen += page.object_list
    assert len(seen) == first.paginator.count
    assert "letter" not in {e.kind for e in seen}
    assert client_for(senior).get(url).context["page"].paginator.count == 160


def test_the_query_count_is_the_same_for_5_and_500_items_when_letters_are_hidden(
        client_for, make_user):
    senior = make_user(Role.SENIOR_STAFF)
    manager = make_user(Role.LINE_MANAGER, department=DepartmentFactory(), line_manager=senior)
    staff = make_user(Role.CASEWORKER, line_manager=manager)
    other_manager = make_user(Role.LINE_MANAGER, department=DepartmentFactory())
    few, many = CustomerFactory(), CustomerFactory()
    _history(few, staff, manager, 5)
    _history(many, staff, manager, 500)
    for viewer in (staff, other_manager):
        client = client_for(viewer)
        _queries(client, reverse("contacts:customer_history", args=[few.pk]))
        small = _queries(client, reverse("contacts:customer_history", args=[few.pk]))
        large = _queries(client, reverse("contacts:customer_history", args=[many.pk]))
        assert small == large, viewer.username
        later = _queries(client, reverse("contacts:customer_history", args=[many.pk])
                         + "?page=7")
        assert later == large

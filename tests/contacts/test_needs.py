"""Communication needs (6.1, 12.2): reported to the line manager's inbox, who proposes a
prefilled adjustment in one step or records why not; the 6.1 prompt shows meanwhile."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.constants import Role
from contacts.models import CommunicationNeedReport
from contacts.needs_services import (
    communication_need_decline,
    communication_need_propose,
    communication_need_report,
)
from contacts.services import needs_equality_prompt
from notifications.models import DueItem
from restrictions.constants import Kind, Status
from tests.accounts.factories import DepartmentFactory
from tests.contacts.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(make_user):
    department = DepartmentFactory()
    manager = make_user(Role.LINE_MANAGER, department=department)
    caseworker = make_user(Role.CASEWORKER, line_manager=manager, department=department)
    return manager, caseworker


def test_a_report_reaches_the_line_manager_and_prompts_6_1(team):
    manager, caseworker = team
    customer = CustomerFactory(communication_needs="")
    assert not needs_equality_prompt(customer)
    report = communication_need_report(actor=caseworker, customer=customer,
                                       need="Seems hard of hearing", suggestion="Email")
    assert report.manager == manager
    item = DueItem.objects.get(key=f"communication_need:{report.pk}")
    assert item.recipient == manager
    assert needs_equality_prompt(customer)  # 6.1, as a recorded need does


def test_the_manager_proposes_a_prefilled_adjustment_in_one_step(team, client_for):
    manager, caseworker = team
    customer = CustomerFactory()
    report = communication_need_report(actor=caseworker, customer=customer,
                                       need="Seems hard of hearing",
                                       suggestion="Write to them instead of calling")
    response = client_for(manager).post(reverse("contacts:need_detail", args=[report.pk]),
                                        {"propose": "1"})
    report.refresh_from_db()
    adjustment = report.adjustment
    assert response.status_code == 302
    assert response.url == reverse("restrictions:edit", args=[adjustment.pk])
    assert (adjustment.kind, adjustment.status) == (Kind.ADJUSTMENT, Status.DRAFT)
    assert adjustment.need == "Seems hard of hearing"
    assert adjustment.terms_notes == "Write to them instead of calling"
    assert report.status == "proposed"
    assert DueItem.objects.get(key=f"communication_need:{report.pk}").completed_at


def test_or_records_why_not(team):
    manager, caseworker = team
    report = communication_need_report(actor=caseworker, customer=CustomerFactory(),
                                       need="Speaks quickly")
    with pytest.raises(ValidationError, match="Say why"):
        communication_need_decline(actor=manager, report=report, reason=" ")
    communication_need_decline(actor=manager, report=report, reason="Not a need: in a hurry")
    report.refresh_from_db()
    assert report.status == "declined"
    with pytest.raises(ValidationError, match="already been considered"):
        communication_need_propose(actor=manager, report=report)


def test_only_the_caseworkers_managers_decide(team, make_user, client_for):
    _, caseworker = team
    report = communication_need_report(actor=caseworker, customer=CustomerFactory(),
                                       need="Speaks quickly")
    for outsider in (make_user(Role.LINE_MANAGER), caseworker, make_user(Role.COMPLIANCE),
                     make_user(is_superuser=True, is_staff=True)):
        with pytest.raises(PermissionDenied):
            communication_need_propose(actor=outsider, report=report)
    assert client_for(make_user(Role.LINE_MANAGER)).get(
        reverse("contacts:need_detail", args=[report.pk])).status_code == 403
    assert CommunicationNeedReport.objects.get().status == "open"


def test_reporting_needs_a_need_and_a_keeper(team, make_user, client_for):
    _, caseworker = team
    customer = CustomerFactory()
    with pytest.raises(ValidationError, match="Describe"):
        communication_need_report(actor=caseworker, customer=customer, need="")
    with pytest.raises(PermissionDenied):
        communication_need_report(actor=make_user(Role.COMPLIANCE), customer=customer,
                                  need="x")
    url = reverse("contacts:need_report", args=[customer.pk])
    html = client_for(caseworker).post(url, {"need": ""}).content.decode()
    assert "govuk-error-summary" in html
    assert client_for(caseworker).post(url, {"need": "Hard of hearing"}).status_code == 302
    assert client_for(make_user(Role.COMPLIANCE)).get(url).status_code == 403


def test_a_long_need_still_proposes_in_one_step(team):
    """The report takes up to 5,000 characters; the adjustment's need field 300. The draft
    gets the need cut at a word with an ellipsis (the manager may edit it), and the whole
    report is in the grounds, so the one step never fails on a long report (12.2)."""
    from restrictions.models import Restriction

    manager, caseworker = team
    need = ("Speaks loudly and asks for things to be repeated; " * 40).strip()
    assert len(need) > Restriction._meta.get_field("need").max_length
    report = communication_need_report(actor=caseworker, customer=CustomerFactory(),
                                       need=need)
    adjustment = communication_need_propose(actor=manager, report=report)
    adjustment.refresh_from_db()
    assert len(adjustment.need) <= Restriction._meta.get_field("need").max_length
    assert adjustment.need.endswith("…")
    assert need.startswith(adjustment.need[:-1].rstrip())
    assert adjustment.grounds.endswith(need)  # nothing the caseworker wrote is lost


def test_a_short_need_is_copied_whole(team):
    from restrictions.models import Restriction

    manager, caseworker = team
    need = "x" * Restriction._meta.get_field("need").max_length
    report = communication_need_report(actor=caseworker, customer=CustomerFactory(),
                                       need=need)
    assert communication_need_propose(actor=manager, report=report).need == need

"""A manager requests a restriction, the Head of Department approves it, and a caseworker
then sees the banner (7.2, 12.1, 12.3). Every page passes axe."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone
from playwright.sync_api import expect

from accounts.constants import Role
from core import extensions
from restrictions import providers
from restrictions.constants import Status
from restrictions.models import Restriction
from tests.accounts.factories import DepartmentFactory
from tests.restrictions.factories import ContactFactory, CustomerFactory

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("role_groups")]  # tests/browser/conftest.py


def _fill_date(page, name: str, day) -> None:
    page.locator(f"input[name='{name}_0']").fill(str(day.day))
    page.locator(f"input[name='{name}_1']").fill(str(day.month))
    page.locator(f"input[name='{name}_2']").fill(str(day.year))


def test_request_approve_and_the_caseworker_sees_the_banner(
        page, live_server, sign_in, axe_check, make_user, browser):
    dept = DepartmentFactory(name="Customer Contact")
    head = make_user(Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER, department=dept,
                     username="hodb")
    dept.head = head
    dept.save()
    manager = make_user(Role.LINE_MANAGER, department=dept, line_manager=head,
                        username="managerb")
    caseworker = make_user(Role.CASEWORKER, department=dept, line_manager=manager,
                           username="caseb", first_name="Casey", last_name="Walsh")
    customer = CustomerFactory(given_name="Alex", family_name="Morgan")
    today = timezone.localdate()

    # The manager asks for a restriction (7.2).
    sign_in(page, manager)
    page.goto(f"{live_server.url}/restrictions/customer/{customer.pk}/")
    axe_check(page)
    page.get_by_role("link", name="Request a restriction").click()
    page.get_by_role("button", name="Submit for a decision").click()  # empty: errors first
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    page.get_by_label("Grounds", exact=True).fill("Calls daily about a closed case.")
    page.get_by_label("Written contact only").check()
    page.get_by_label("One named point of contact").check()
    page.get_by_label("Named point of contact", exact=True).select_option(label="Casey Walsh")
    _fill_date(page, "start_date", today)
    _fill_date(page, "review_date", today + timedelta(days=90))
    page.get_by_role("button", name="Submit for a decision").click()
    expect(page.get_by_text("Request submitted for a decision")).to_be_visible()
    axe_check(page)
    restriction = Restriction.objects.get()
    assert restriction.status == Status.SUBMITTED

    # The Head of Department decides from their queue (7.2).
    context = browser.new_context()
    hod_page = context.new_page()
    sign_in(hod_page, head)
    hod_page.get_by_role("navigation", name="Menu").get_by_role("link", name="Decisions").click()
    hod_page.get_by_role("navigation", name="Pages in Decisions").get_by_role(
        "link", name="Requests to decide").click()
    axe_check(hod_page)
    hod_page.get_by_role("link", name="Alex Morgan").click()
    expect(hod_page.get_by_text("Calls daily about a closed case.")).to_be_visible()
    axe_check(hod_page)
    hod_page.get_by_label("Approve").check()
    hod_page.get_by_role("button", name="Record the decision").click()
    expect(hod_page.get_by_text("Decision recorded")).to_be_visible()
    restriction.refresh_from_db()
    assert restriction.status == Status.APPROVED
    assert restriction.decided_by == head
    hod_page.get_by_role("link", name="Letter to the customer").click()
    expect(hod_page.get_by_role("heading", name="How we will deal with you from now on")
           ).to_be_visible()
    axe_check(hod_page)
    context.close()

    # A caseworker now sees the banner: terms and how to handle the customer (12.3).
    other = browser.new_context()
    cw_page = other.new_page()
    sign_in(cw_page, caseworker)
    cw_page.goto(f"{live_server.url}/restrictions/customer/{customer.pk}/")
    banner = cw_page.locator(".govuk-notification-banner.app-restrictions-banner")
    expect(banner).to_be_visible()
    text = banner.inner_text()
    assert "Written contact only. Single point of contact: Casey Walsh. Until" in text
    assert "ask them to write to us" in text
    assert "Calls daily" not in cw_page.content()  # the grounds stay with managers
    axe_check(cw_page)
    cw_page.get_by_role("link", name="See the restricted contact record").click()
    axe_check(cw_page)
    other.close()

    # The same banner reaches the contact screen through the provider, with the warning.
    request = RequestFactory().get("/")
    request.user = caseworker
    contact = ContactFactory(customer=customer, staff=caseworker, channel="phone")
    [panel] = providers.contact_banners(request, contact)
    assert "Single point of contact: Casey Walsh" in panel.context["banners"][0]["summary"]
    assert "do not continue by telephone" in panel.context["warning"]
    assert extensions.badges_for([customer.pk]) == {customer.pk: ["Restricted contact"]}


def test_triage_and_queue_pages_pass_axe(page, sign_in, axe_check, make_user, live_server):
    dept = DepartmentFactory(name="Customer Contact")
    head = make_user(Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER, department=dept)
    sign_in(page, head)
    for path in ("to-decide/", "mine/", "reviews-due/", "triage/"):
        page.goto(f"{live_server.url}/restrictions/{path}")
        axe_check(page)


def test_every_other_restrictions_page_passes_axe(page, sign_in, axe_check, make_user,
                                                   live_server):
    from restrictions.services_followup import appeal_record, triage_item_create
    from tests.restrictions.factories import ApprovedRestrictionFactory

    dept = DepartmentFactory(name="Customer Contact")
    head = make_user(Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER, department=dept)
    dept.head = head
    dept.save()
    manager = make_user(Role.LINE_MANAGER, department=dept, line_manager=head)
    senior = make_user(Role.SENIOR_STAFF, department=dept, line_manager=head)
    customer = CustomerFactory()
    restriction = ApprovedRestrictionFactory(customer=customer, requested_by=manager,
                                             decided_by=head, placed_on_file=True)
    appeal = appeal_record(restriction=restriction, actor=manager,
                           received_on=timezone.localdate(), customer_grounds="Unfair")
    item = triage_item_create(contact=ContactFactory(customer=customer, staff=manager,
                                                     channel="email"))
    base = f"{live_server.url}/restrictions"
    sign_in(page, head)
    for path in (f"{restriction.pk}/", f"{restriction.pk}/grounds/",
                 f"{restriction.pk}/review/", f"{restriction.pk}/letter/",
                 f"{restriction.pk}/letter/record/", f"{restriction.pk}/appeal/",
                 f"customer/{customer.pk}/further-action/",
                 f"customer/{customer.pk}/request/?kind=adjustment",
                 f"triage/{item.pk}/"):
        page.goto(f"{base}/{path}")
        assert page.locator("h1").count() == 1, path
        axe_check(page)
    page.goto(f"{base}/{restriction.pk}/review/")
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    page.context.clear_cookies()
    sign_in(page, senior)
    page.goto(f"{base}/appeals/{appeal.pk}/decide/")
    axe_check(page)
    page.get_by_label("Upheld: the decision stands").check()
    page.get_by_label("Reason", exact=True).fill("Proportionate to the calls")
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_text("Appeal decided")).to_be_visible()
    page.get_by_role("link", name="Appeal outcome letter", exact=True).click()
    expect(page.get_by_text("Ombudsman").first).to_be_visible()
    axe_check(page)


def test_departments_screen_passes_axe_and_appoints_an_acting_head(page, live_server, sign_in,
                                                                   axe_check):
    """7.2, 12.1: an administrator appoints an acting Head by keyboard; axe on each page."""
    from accounts.models import ActingHeadOfDepartment
    from tests.accounts.factories import UserFactory

    department = DepartmentFactory(name="Customer Contact")
    admin = UserFactory(username="b_admin", roles=[Role.ADMINISTRATOR])
    acting = UserFactory(username="b_acting", first_name="Ada", last_name="Acting",
                         roles=[Role.SENIOR_STAFF], department=department)
    sign_in(page, admin)
    page.goto(f"{live_server.url}/accounts/departments/")
    axe_check(page)
    page.get_by_role("link", name="Appoint an acting Head of Customer Contact").click()
    axe_check(page)
    page.get_by_label("Acting Head of Department").select_option(label=str(acting))
    today = timezone.localdate()
    for prefix, day in (("From", today), ("Until", today + timedelta(days=5))):
        group = page.get_by_role("group", name=prefix)
        group.get_by_label("Day").fill(str(day.day))
        group.get_by_label("Month").fill(str(day.month))
        group.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Reason").fill("The Head's leave")
    page.get_by_label("Reason").press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/departments/")
    axe_check(page)
    assert ActingHeadOfDepartment.objects.get().acting_head == acting

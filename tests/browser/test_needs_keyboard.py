"""Issue 16 by keyboard alone, the line manager's side of a communication need (6.1, 12.2):
the report reaches their inbox; from it they open the need and either propose a reasonable
adjustment in one step (the draft prefilled from the report, then submitted for the Head of
Department's decision) or record why not. Tab, Shift+Tab, Enter and Space only, no mouse and
no typed address after signing in; axe on every page on the way. The caseworker's side (the
report itself) is walked in ``test_customers_keyboard.py``."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.constants import Role
from contacts.models import CommunicationNeedReport
from contacts.needs_services import communication_need_report
from notifications import services as notifications_services
from notifications.models import DueItem, InboxEntry
from restrictions.constants import Adjustment, Kind, Status
from restrictions.models import Restriction
from tests.accounts.factories import DepartmentFactory
from tests.contacts.factories import CustomerFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("role_groups")]

NEED = "Speaks loudly and asks us to repeat things; seems hard of hearing"
SUGGESTION = "Write to them by email rather than calling"


@pytest.fixture
def reported(make_user):
    """A caseworker's report, delivered to their line manager's inbox as the beat does."""
    department = DepartmentFactory(name="Customer Contact")
    head = make_user(Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER, department=department)
    department.head = head
    department.save()
    manager = make_user(Role.LINE_MANAGER, department=department, line_manager=head,
                        first_name="Morgan", last_name="Hale")
    caseworker = make_user(Role.CASEWORKER, department=department, line_manager=manager,
                           first_name="Casey", last_name="Walsh")
    customer = CustomerFactory(given_name="Alex", family_name="Morgan")
    report = communication_need_report(actor=caseworker, customer=customer, need=NEED,
                                       suggestion=SUGGESTION)
    notifications_services.sweep()
    assert InboxEntry.objects.filter(recipient=manager).count() == 1
    return report, manager


def _focused(page, selector: str) -> bool:
    return page.evaluate(f"document.activeElement.matches({selector!r})")


def _tab_to(page, selector: str, limit: int = 80, key: str = "Tab") -> None:
    """Tab (or Shift+Tab) until ``selector`` has the focus; it must be visible there."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        seen.append(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
        if _focused(page, selector):
            expect(page.locator(selector)).to_be_visible()
            return
    raise AssertionError(f"could not reach {selector} by keyboard ({key}); the focus went to: "
                         + "\n".join(seen[-8:]))


def _open_the_need_from_the_inbox(page, report, axe_check) -> None:
    """Home, the header's notifications link, the inbox entry, the need: all by keyboard."""
    expect(page.get_by_role("link", name="Notifications (1 unread)")).to_be_visible()
    axe_check(page)
    _tab_to(page, "a.app-notifications-header-link")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Your notifications")).to_be_visible()
    entry = page.get_by_role("link", name="A customer's communication need to consider (12.2)")
    expect(entry).to_be_visible()
    axe_check(page)
    _tab_to(page, f"main a[href$='/needs/{report.pk}/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Communication need (6.1, 12.2)")
           ).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("Casey Walsh")
    expect(main).to_contain_text(NEED)
    expect(main).to_contain_text(SUGGESTION)
    axe_check(page)


def _follow_the_error_summary(page, field: str) -> None:
    """GOV.UK error summary: it takes the focus on arrival, and its link takes the person to
    the field in error."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    _tab_to(page, ".govuk-error-summary a", limit=3)
    page.keyboard.press("Enter")
    assert _focused(page, field), page.evaluate("document.activeElement.outerHTML")


def test_the_manager_proposes_the_prefilled_adjustment_by_keyboard(page, sign_in, axe_check,
                                                                   reported):
    report, manager = reported
    sign_in(page, manager)
    _open_the_need_from_the_inbox(page, report, axe_check)

    _tab_to(page, "main button[name='propose']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/restrictions/\d+/change/$"))
    expect(page.get_by_role("heading", level=1, name="Change the request")).to_be_visible()
    expect(page.get_by_text("Draft reasonable adjustment made from the report")).to_be_visible()
    axe_check(page)

    # The draft carries the report: the need, what might help, grounds citing it, today.
    today = timezone.localdate()
    assert page.get_by_label("The customer's need").input_value() == NEED
    assert page.get_by_label("Other adjustments or detail").input_value() == SUGGESTION
    grounds = page.get_by_label("Grounds", exact=True).input_value()
    assert grounds.startswith(f"Reported by Casey Walsh on {today:%d %B %Y} (6.1, 12.2)")
    assert grounds.endswith(NEED)
    assert [page.locator(f"input[name='start_date_{i}']").input_value() for i in range(3)] == [
        str(today.day), str(today.month), str(today.year)]
    assert not page.locator("input[name='adjustments']:checked").count()

    # Back up with Shift+Tab from the first button to the adjustments, and choose one.
    _tab_to(page, "main [name='submit_for_decision']")
    _tab_to(page, "input[name='adjustments'][value='email_not_phone']", key="Shift+Tab")
    page.keyboard.press("Space")
    assert page.get_by_label(Adjustment.EMAIL_NOT_PHONE.label).is_checked()
    _tab_to(page, "main [name='submit_for_decision']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/restrictions/\d+/$"))
    expect(page.get_by_text("Request saved")).to_be_visible()
    axe_check(page)

    report.refresh_from_db()
    adjustment = Restriction.objects.get()
    assert report.adjustment == adjustment
    assert (report.status, report.decided_by) == (
        CommunicationNeedReport.Status.PROPOSED, manager)
    assert (adjustment.kind, adjustment.status) == (Kind.ADJUSTMENT, Status.SUBMITTED)
    assert (adjustment.customer, adjustment.requested_by) == (report.customer, manager)
    assert (adjustment.need, adjustment.terms_notes) == (NEED, SUGGESTION)
    assert adjustment.adjustments == [Adjustment.EMAIL_NOT_PHONE]
    assert adjustment.grounds == grounds
    assert DueItem.objects.get(key=f"communication_need:{report.pk}").completed_at
    assert DueItem.objects.filter(kind="restriction_decision_needed").exists()  # to the Head


def test_the_manager_records_why_no_adjustment_by_keyboard(page, sign_in, axe_check,
                                                            reported):
    report, manager = reported
    sign_in(page, manager)
    _open_the_need_from_the_inbox(page, report, axe_check)

    # Nothing said yet: the error summary, its link to the box, and nothing is recorded.
    _tab_to(page, "main [name='decline']")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say why no adjustment is proposed")
    described_by = page.locator("#id_reason").get_attribute("aria-describedby")
    expect(page.locator(f"#{described_by}")).to_contain_text("Say why no adjustment is proposed")
    # GOV.UK: the title starts "Error: ", once (it used to say "Error" twice).
    assert page.title() == "Error: Communication need - Customer contact"
    axe_check(page)
    _follow_the_error_summary(page, "#id_reason")
    report.refresh_from_db()
    assert report.status == CommunicationNeedReport.Status.OPEN

    reason = "Not a need: they were on a bad line and asked us to repeat once"
    page.keyboard.type(reason)
    _tab_to(page, "main [name='decline']")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Recorded")
    expect(page.locator("main")).to_contain_text(f"No adjustment proposed: {reason}")
    expect(page.locator("main button[name='propose']")).to_have_count(0)
    axe_check(page)

    report.refresh_from_db()
    assert (report.status, report.decision_reason, report.decided_by) == (
        CommunicationNeedReport.Status.DECLINED, reason, manager)
    assert report.adjustment is None
    assert not Restriction.objects.exists()
    assert DueItem.objects.get(key=f"communication_need:{report.pk}").completed_at

"""Issue 24: axe on the screens staff use all day, at 320 px (a phone, or 400% zoom) and 1,280
px, with the demo data (real rows in the tables, banners, steps recorded).

Besides axe, each page must reflow at 320 px (WCAG 2.2, 1.4.10): nothing wider than the
window, so nobody scrolls sideways to read a line. A wide table may scroll inside its own
labelled, focusable region, or (as here) show each row as a block with every cell headed by
its column's name (static/js/app.js), never widen the page or break words letter by letter.
"""


import pytest
from django.urls import reverse

from accounts.models import User
from callogs.constants import LogStatus
from callogs.models import TerminatedCallLog
from contacts import services as contact_services
from contacts.constants import Behaviour, HandlingStepKind
from contacts.models import Customer
from restrictions.constants import Status
from restrictions.models import Restriction
from tests.browser.conftest import DEMO_PASSWORD
from tests.contacts.factories import ContactFactory
from tests.demo_data import load_demo_data

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (320, 1280)

# What the page is wider than the window by, and the widest element sticking out.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const over = document.documentElement.scrollWidth - width;
  let widest = '';
  if (over > 0) {
    let most = 0;
    for (const el of document.body.querySelectorAll('*')) {
      const right = el.getBoundingClientRect().right;
      let inScroller = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') { inScroller = true; break; }
      }
      if (!inScroller && right - width > most) {
        most = right - width;
        widest = el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ' '
          + (el.textContent || '').trim().slice(0, 40);
      }
    }
  }
  return [over, widest];
}"""


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    load_demo_data()  # as ensure_role_groups() and load_demo leave it (tests/demo_data.py)
    users = {u.username: u for u in User.objects.all()}
    restricted = Restriction.objects.filter(status=Status.APPROVED).order_by("pk").first()
    contact = ContactFactory(customer=restricted.customer, staff=users["caseworker"],
                             behaviour=Behaviour.OFFENSIVE)
    contact_services.handling_step_record(
        contact=contact, actor=users["caseworker"], step=HandlingStepKind.EXPLAINED_UNACCEPTABLE,
        note="Told them swearing at me is not acceptable.")
    log = TerminatedCallLog.objects.filter(status=LogStatus.SUBMITTED).order_by("pk").first()
    plain = Customer.objects.get(given_name="Jon", family_name="Smithson")
    return users, {"customer": restricted.customer, "restriction": restricted, "plain": plain,
                   "contact": contact, "log": log}


def _screens(records) -> dict[str, list[str]]:
    """Each demo user's daily screens."""
    return {
        "caseworker": [
            reverse("core:home"), reverse("core:section_find"),
            reverse("core:section_contacts"), reverse("contacts:lookup") + "?q=Smith",
            reverse("contacts:customer_detail", args=[records["customer"].pk]),
            reverse("contacts:customer_detail", args=[records["plain"].pk]),
            reverse("contacts:contact_detail", args=[records["contact"].pk]),
            reverse("notifications:inbox"), reverse("callogs:my_logs"),
            reverse("welfare:home"),
        ],
        "manager": [
            reverse("core:home"), reverse("core:section_team"),
            reverse("core:section_decisions"), reverse("callogs:review_queue"),
            reverse("callogs:review", args=[records["log"].pk]),
            reverse("contacts:queue"), reverse("notifications:inbox"),
        ],
        "senior": [reverse("core:home"), reverse("atrisk:report_list"),
                   reverse("atrisk:duty_rota")],
        "hod": [reverse("core:home"), reverse("restrictions:to_decide"),
                reverse("restrictions:detail", args=[records["restriction"].pk])],
        "compliance": [reverse("core:home"), reverse("core:section_compliance"),
                       reverse("atrisk:register"), reverse("privacy:sar_list")],
        "admin": [reverse("core:home"), reverse("core:section_administration")],
    }


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("who", ["caseworker", "manager", "senior", "hod", "compliance",
                                 "admin"])
def test_daily_screens_pass_axe_and_reflow(browser, live_server, sign_in, axe_check, demo,
                                           who, width):
    users, records = demo
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, users[who])
        for path in _screens(records)[who]:
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None, path
            assert response.ok, f"{path}: {response.status}"
            axe_check(page)
            over, widest = page.evaluate(OVERFLOW)
            assert over <= 0, f"{path} at {width} px is {over} px too wide: {widest}"
            # every table is shown row by row at 320 px, each cell headed by its column
            unstacked = page.locator("table.govuk-table:not(.app-table--stacked):has(thead)")
            assert unstacked.count() == 0, f"{path}: a table is not responsive"
            if width == 320 and page.locator("table.app-table--stacked td").count():
                cell = page.locator("table.app-table--stacked td[data-label]").first
                assert cell.evaluate("e => getComputedStyle(e).display") == "block", path
    finally:
        context.close()

"""Each role's "Your work", the dashboards, and a report whose chart, table and CSV agree.
Every page passes axe."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.dashboards.conftest import build_world, contacts, populate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(make_user):
    return build_world(make_user)


@pytest.mark.parametrize("who", ["caseworker2", "manager", "hod", "senior", "compliance",
                                 "boss"])
def test_each_role_home_page(page, live_server, sign_in, axe_check, world, who):
    populate(world, 3)
    sign_in(page, getattr(world, who))
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Your work", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="What needs doing")).to_be_visible()
    # a to-do list (issue 24): the queues with work, then one line for the empty ones
    if who == "boss":  # ``populate`` fills the boss's queues only
        expect(page.get_by_role("heading", name="Callbacks due")).to_be_visible()
    else:
        expect(page.get_by_text("Nothing waiting in:")).to_be_visible()
    axe_check(page)
    if who == "boss":
        page.get_by_role("link", name="See all terminated-call logs to review").click()
        assert page.url.endswith("/call-logs/reviews/")


def test_team_and_department_dashboards(page, live_server, sign_in, axe_check, world):
    populate(world, 2)
    sign_in(page, world.boss)
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Team").click()
    page.get_by_role("navigation", name="Pages in Team").get_by_role(
        "link", name="Team dashboard").click()
    expect(page.get_by_role("heading", name="Your team")).to_be_visible()
    axe_check(page)
    page.get_by_label("From").fill("not a date")
    page.get_by_role("button", name="Show this period").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    page.goto(f"{live_server.url}/dashboards/department/")
    expect(page.get_by_role("heading", name="Your department")).to_be_visible()
    axe_check(page)


def test_report_chart_matches_table_and_csv(page, live_server, sign_in, axe_check, world):
    now = timezone.now()
    contacts(world, 3, world.caseworker, behaviour="difficult")
    contacts(world, 2, world.caseworker, behaviour="abusive", channel="email")
    contacts(world, 4, world.outsider, behaviour="persistent",
             started_at=now - timedelta(days=40))
    sign_in(page, world.senior)
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Team").click()
    page.get_by_role("navigation", name="Pages in Team").get_by_role(
        "link", name="Reports", exact=True).click()
    axe_check(page)
    page.get_by_role("link", name="Contacts by behaviour class").click()
    page.get_by_label("Show figures by").select_option("team")
    page.get_by_role("button", name="Show figures").click()
    chart = page.get_by_role("img", name="Contacts by behaviour class by team")
    expect(chart).to_be_visible()
    axe_check(page)

    bars = page.locator("rect.app-dashboards-chart__bar")
    from_chart = {(bars.nth(i).get_attribute("data-row"), bars.nth(i).get_attribute("data-series")):
                  int(bars.nth(i).get_attribute("data-value")) for i in range(bars.count())}
    table = page.locator("#report-table")
    series = table.locator("thead th").all_inner_texts()[1:-1]
    from_table = {}
    for row in table.locator("tbody tr[data-row]").all():
        label = row.locator("th").inner_text()
        for name, cell in zip(series, row.locator("td").all_inner_texts()[:-1], strict=True):
            from_table[(label, name)] = int(cell)
    assert from_chart == from_table
    assert from_table[("Morgan Manager", "Difficult")] == 3
    assert from_table[("Morgan Manager", "Abusive or threatening")] == 2
    assert from_table[("Olly Other", "Persistent")] == 4

    link = page.get_by_role("link", name="Download these figures as CSV")
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.ok
    rows = list(csv.reader(io.StringIO(response.text())))
    assert rows[0][1:-1] == series
    from_csv = {(r[0], name): int(v) for r in rows[1:-1] for name, v in
                zip(series, r[1:-1], strict=True)}
    assert from_csv == from_table

    page.get_by_label("From").fill("2026-02-31")
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)

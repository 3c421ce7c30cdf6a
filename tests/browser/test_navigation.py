"""Issue 24 in the browser: the sectioned service navigation, the to-do home page, the queue
rows with names, and the action rows; axe at 320 px and 1,280 px; the navigation by keyboard."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.constants import Role
from contacts.models import CustomerPhone
from tests.dashboards.conftest import build_world, contacts, populate

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (320, 1280)


@pytest.fixture
def world(make_user):
    world = build_world(make_user)
    CustomerPhone.objects.create(customer=world.customer, number="01632 960 001")
    return world


def _width(page, width):
    page.set_viewport_size({"width": width, "height": 900})


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("who", ["caseworker", "manager", "boss", "compliance", "admin"])
def test_navigation_sections_and_home_pass_axe(page, live_server, sign_in, axe_check, world,
                                               make_user, who, width):
    user = make_user(Role.ADMINISTRATOR) if who == "admin" else getattr(world, who)
    populate(world, 3)
    _width(page, width)
    sign_in(page, user)
    axe_check(page)  # home: the to-do list (and the lookup box for those who look up)
    menu = page.get_by_role("navigation", name="Menu")
    if width == 320:  # the service navigation collapses behind its Menu button
        menu.get_by_role("button", name="Menu").click()
    links = menu.get_by_role("link")
    count = links.count()
    assert 1 <= count <= 6
    hrefs = [links.nth(i).get_attribute("href") for i in range(count)]
    for href in hrefs:
        page.goto(f"{live_server.url}{href}")
        current = page.get_by_role("navigation", name="Menu").locator("[aria-current]")
        expect(current).to_have_count(1)
        assert current.get_attribute("href") == href
        axe_check(page)
    # 2.2 is one click away on every page
    expect(page.get_by_role("link", name="I feel uncomfortable or distressed")).to_be_visible()


def test_the_navigation_by_keyboard(page, live_server, sign_in, world):
    _width(page, 1280)
    sign_in(page, world.manager)
    seen = []
    for _ in range(25):
        page.keyboard.press("Tab")
        text = page.evaluate("document.activeElement.textContent.trim()")
        seen.append(text)
        if text == "Team":
            break
    assert seen[0] == "Skip to main content"
    assert "I feel uncomfortable or distressed" in seen  # in the header, before the menu
    assert seen[-1] == "Team"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{reverse('core:section_team')}")
    expect(page.get_by_role("heading", name="Team", level=1)).to_be_visible()
    subnav = page.get_by_role("navigation", name="Pages in Team")
    expect(subnav.get_by_role("link")).to_have_count(4)
    # Tab on from the menu reaches the section's own pages
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Logs to review":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{reverse('callogs:review_queue')}")
    assert page.get_by_role("navigation", name="Menu").locator(
        "[aria-current=true]").inner_text().strip() == "Team"
    assert subnav.locator("[aria-current=page]").inner_text().strip() == "Logs to review"


def test_the_narrow_menu_by_keyboard(page, live_server, sign_in, world):
    _width(page, 320)
    sign_in(page, world.manager)
    toggle = page.get_by_role("button", name="Menu")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Find a customer"


@pytest.mark.parametrize("width", WIDTHS)
def test_queue_pages_with_names_pass_axe(page, live_server, sign_in, axe_check, world, width):
    populate(world, 3)
    _width(page, width)
    sign_in(page, world.boss)
    expect(page.get_by_text("Call back Jo Caller").first).to_be_visible()
    expect(page.get_by_text("on 01632 960 001").first).to_be_visible()
    for name in ("callogs:review_queue", "contacts:queue"):
        page.goto(f"{live_server.url}{reverse(name)}")
        expect(page.get_by_text("Jo Caller").first).to_be_visible()
        axe_check(page)
    page.goto(f"{live_server.url}{reverse('notifications:inbox')}")  # the inbox's new line
    axe_check(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_action_row_buttons_line_up_with_the_links(page, live_server, sign_in, axe_check,
                                                   world, width):
    (contact,) = contacts(world, 1, world.caseworker)
    _width(page, width)
    sign_in(page, world.caseworker)
    page.goto(f"{live_server.url}{reverse('contacts:contact_detail', args=[contact.pk])}")
    button = page.get_by_role("button", name="No new information: issues already addressed (7.2)")
    expect(button).to_be_visible()
    # where each action starts: the first line of a wrapped link-button's label must start at
    # the same left edge as the links above and below it (and the buttons' boxes)
    lefts = page.evaluate("""() => {
      const heading = [...document.querySelectorAll('h2')].find(h => h.textContent === 'Actions');
      const list = heading.nextElementSibling;
      return [...list.querySelectorAll(':scope > li')].map(li => {
        const el = li.querySelector('a, button');
        if (el.classList.contains('govuk-button')) {  // a real button: its box lines up
          return [el.textContent.trim(), Math.round(el.getBoundingClientRect().left)];
        }
        const range = document.createRange();  // a link, or a button drawn as a link
        range.selectNodeContents(el);
        return [el.textContent.trim(), Math.round(range.getClientRects()[0].left)];
      });
    }""")
    assert len({left for _text, left in lefts}) == 1, lefts
    axe_check(page)

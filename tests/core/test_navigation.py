"""The service navigation (issue 24): at most six top-level items for every role and every
combination the demo data uses, each link opening a page the user may use, the current
section marked, sections with their own sub-navigation, 2.2 one click away everywhere."""

import itertools
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from accounts.constants import Role
from accounts.demo import DEMO_USERS
from core import navigation
from tests.accounts.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

SINGLE = [(role,) for role in Role.values]
DEMO = sorted({tuple(sorted(u.roles)) for u in DEMO_USERS})
EVERY = [tuple(Role.values)]
PAIRS = [tuple(p) for p in itertools.combinations(Role.values, 2)]
COMBINATIONS = sorted({tuple(sorted(r)) for r in SINGLE + DEMO + EVERY + PAIRS})


class _Nav(HTMLParser):
    """The links of the service navigation (<nav aria-label="Menu">), the sub-navigation
    (<nav class="app-subnav">) and the header, with their aria-current."""

    def __init__(self):
        super().__init__()
        self.where: list[str] = []
        self.menu: list[dict] = []
        self.subnav: list[dict] = []
        self.header: list[dict] = []
        self._link = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav":
            self.where.append("menu" if attrs.get("aria-label") == "Menu" else
                              "subnav" if "app-subnav" in (attrs.get("class") or "") else "nav")
        elif tag == "header":
            self.where.append("header")
        elif tag == "a" and self.where and self.where[-1] in ("menu", "subnav", "header"):
            self._link = {"href": attrs["href"], "current": attrs.get("aria-current"),
                          "text": "", "in": self.where[-1]}

    def handle_data(self, data):
        if self._link is not None:
            self._link["text"] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self._link["text"] = " ".join(self._link["text"].split())
            getattr(self, self._link["in"]).append(self._link)
            self._link = None
        elif tag in ("nav", "header") and self.where:
            self.where.pop()


def _parse(response) -> _Nav:
    parser = _Nav()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def user_with(make_user):
    department = DepartmentFactory(name="Benefits")

    def _make(roles):
        manager = make_user(Role.LINE_MANAGER, department=department)
        user = make_user(*roles, department=department, line_manager=manager)
        if Role.HEAD_OF_DEPARTMENT in roles:
            department.head = user
            department.save()
        return user

    return _make


@pytest.mark.parametrize("roles", COMBINATIONS, ids=lambda r: "+".join(r))
def test_at_most_six_items_each_permitted_and_current_section_marked(roles, user_with,
                                                                     client_for):
    user = user_with(roles)
    client = client_for(user)
    home = _parse(client.get(reverse("core:home")))
    assert 1 <= len(home.menu) <= navigation.MAX_TOP_LEVEL, [i["text"] for i in home.menu]
    # 2.2 is one click away, in the header
    assert any(link["text"] == "I feel uncomfortable or distressed"
               and link["href"] == reverse("welfare:distress_raise") for link in home.header)
    assert not any(link["current"] for link in home.menu)  # home is in no section
    for top in home.menu:
        response = client.get(top["href"])
        assert response.status_code == 200, (roles, top)
        page = _parse(response)
        marked = [link for link in page.menu if link["current"]]
        assert [link["href"] for link in marked] == [top["href"]], (roles, top, marked)
        assert marked[0]["current"] == "page"
        section_page = re.fullmatch(r"/[a-z]+/", top["href"]) and top["href"] in {
            reverse(s.url_name) for s in navigation.SECTIONS}
        if not section_page:
            continue
        # a section page: each of its pages opens, keeps the section marked and shows the
        # sub-navigation with that page current
        assert len(page.subnav) >= 2
        for sub in page.subnav:
            inner = client.get(sub["href"])
            assert inner.status_code == 200, (roles, sub)
            inner_page = _parse(inner)
            assert [(m["href"], m["current"]) for m in inner_page.menu if m["current"]] == [
                (top["href"], "true")], (roles, sub)
            assert [s["href"] for s in inner_page.subnav if s["current"] == "page"] == [
                sub["href"]]


def test_a_line_manager_has_sections_rather_than_thirteen_links(user_with, client_for):
    home = _parse(client_for(user_with((Role.LINE_MANAGER,))).get(reverse("core:home")))
    assert [link["text"] for link in home.menu] == [
        "Find a customer", "Contacts", "Team", "Decisions"]
    team = _parse(client_for(user_with((Role.LINE_MANAGER,))).get(
        reverse("core:section_team")))
    assert [link["text"] for link in team.subnav] == [
        "Staff welfare", "Logs to review", "Team dashboard", "Reports"]


def test_a_section_with_one_page_for_the_user_links_straight_to_it(user_with, client_for):
    home = _parse(client_for(user_with((Role.CASEWORKER,))).get(reverse("core:home")))
    assert {link["text"]: link["href"] for link in home.menu} == {
        "Find a customer": reverse("contacts:lookup"),
        "Contacts": reverse("core:section_contacts"),
        "Staff welfare": reverse("welfare:home"),
    }


def test_a_record_page_marks_the_section_of_its_list(user_with, client_for):
    """A page below a list (its URL under the list's) keeps the list's section marked."""
    client = client_for(user_with((Role.LINE_MANAGER,)))
    page = _parse(client.get(reverse("callogs:review_queue") + "?page=1"))
    assert [(m["text"], m["current"]) for m in page.menu if m["current"]] == [("Team", "true")]


@pytest.mark.parametrize("slug", ["decisions", "compliance", "administration"])
def test_a_section_page_is_refused_to_someone_with_nothing_in_it(slug, user_with, client_for):
    client = client_for(user_with((Role.CASEWORKER,)))
    assert client.get(reverse(f"core:section_{slug}")).status_code == 403

"""Navigation by role: each app registers its entries with the predicate that shows them.

Issue 24: the service navigation holds at most ``MAX_TOP_LEVEL`` items for any user. Every
entry belongs to a section ("Contacts", "Team", "Decisions", ...); the top level shows one
item per section the user has anything in. A section with one entry for this user links
straight to it; a section with more links to its own page (``/team/``, ``/decisions/``, ...),
and every page of the section shows the section's sub-navigation. "I feel uncomfortable or
distressed" (2.2), the inbox, help and sign out are in the header, on every page.
"""

from dataclasses import dataclass

import rules
from django.urls import NoReverseMatch

from core.routes import cached_reverse

MAX_TOP_LEVEL = 6


@dataclass(frozen=True)
class Section:
    slug: str  # also the URL: /<slug>/, and the URL name core:section_<slug>
    label: str
    order: int
    description: str = ""

    @property
    def url_name(self) -> str:
        return f"core:section_{self.slug}"


# The sections, in the order they appear. A user with every role sees all six.
FIND = Section("find", "Find a customer", 10)
CONTACTS = Section("contacts", "Contacts", 20,
                   "Contacts waiting for you, written contact to triage and the logs of "
                   "terminated calls.")
TEAM = Section("team", "Team", 30,
               "Staff welfare, the terminated-call logs your team has given you, and the "
               "dashboards and reports.")
DECISIONS = Section("decisions", "Decisions", 40,
                    "Restriction and adjustment requests, their decisions and reviews (7.2, "
                    "12), and at-risk reports (11).")
COMPLIANCE = Section("compliance", "Compliance", 50,
                     "Subject access requests, the disclosure register and the audit trail.")
ADMINISTRATION = Section("administration", "Administration", 60,
                         "Departments and their Heads, and the systems that use the API.")
SECTIONS: tuple[Section, ...] = (FIND, CONTACTS, TEAM, DECISIONS, COMPLIANCE, ADMINISTRATION)
SECTIONS_BY_SLUG = {s.slug: s for s in SECTIONS}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    predicate: rules.Predicate
    order: int = 50
    section: Section = CONTACTS
    description: str = ""

    @property
    def namespace(self) -> str:
        return self.url_name.split(":", 1)[0]


_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    """Add an entry to the service navigation (called from an app's ``ready``)."""
    if item not in _ITEMS:
        _ITEMS.append(item)
        _ITEMS.sort(key=lambda i: (i.section.order, i.order))


def items_for(user) -> list[NavItem]:
    """The entries this user may see, in order."""
    return [item for item in _ITEMS if item.predicate.test(user)]


@dataclass
class Link:
    label: str
    url: str
    description: str = ""
    current: bool = False  # this is the page (aria-current="page")
    active: bool = False  # this page is inside it (aria-current="true")
    children: list["Link"] | None = None
    slug: str = ""

    @property
    def aria_current(self) -> str:
        return "page" if self.current else ("true" if self.active else "")


def _url(name: str) -> str | None:
    try:
        return cached_reverse(name)
    except NoReverseMatch:
        return None


def menu_for(user, path: str, namespace: str = "") -> tuple[list[Link], Link | None]:
    """The top-level links for ``user`` (one per section they have anything in) and the
    current section (with its sub-navigation), for the page at ``path``.

    The current entry is the one whose URL is the longest prefix of ``path``; failing that,
    the section holding most of this user's entries from the page's URL namespace (a
    record's own page, ``/callogs/12/``, sits in the section of its lists).
    """
    grouped: dict[Section, list[Link]] = {}
    namespaces: dict[Section, list[str]] = {}
    for item in items_for(user):
        url = _url(item.url_name)
        if url is None:
            continue
        grouped.setdefault(item.section, []).append(
            Link(item.label, url, item.description))
        namespaces.setdefault(item.section, []).append(item.namespace)

    best: tuple[int, Section, Link] | None = None
    for section, links in grouped.items():
        for link in links:
            if path.startswith(link.url) and link.url != "/" and (
                    best is None or len(link.url) > best[0]):
                best = (len(link.url), section, link)
    current_section = None
    if best is not None:
        _length, current_section, link = best
        link.current = path == link.url
        link.active = not link.current
    else:
        for section in grouped:
            if path == _url(section.url_name):
                current_section = section
                break
        if current_section is None and namespace:
            counts = [(namespaces[s].count(namespace), -s.order, s) for s in grouped]
            counts = [c for c in counts if c[0]]
            if counts:
                current_section = max(counts, key=lambda c: (c[0], c[1]))[2]

    top: list[Link] = []
    current: Link | None = None
    for section in sorted(grouped, key=lambda s: s.order):
        links = grouped[section]
        if len(links) == 1:
            only = links[0]
            link = Link(only.label, only.url, only.description, slug=section.slug)
        else:
            section_url = cached_reverse(section.url_name)
            link = Link(section.label, section_url, section.description,
                        children=links, slug=section.slug)
        if section == current_section:
            link.current = path == link.url
            link.active = not link.current
            current = link
        top.append(link)
    return top, current


def section_links(user, section: Section) -> list[Link]:
    """The entries of one section this user may see (its page and sub-navigation)."""
    return [Link(i.label, url, i.description) for i in items_for(user)
            if i.section == section and (url := _url(i.url_name)) is not None]

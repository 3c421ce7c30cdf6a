"""Issue 17: the user guide (docs/guide/) as browser tests.

Each section of a guide page has its steps in docs/guide/steps.toml, next to the guide. This
test signs in as the demo user the section is written for and follows the steps on the real
screens: every link or button the guide names in **bold** must exist and lead where the guide
says. Every bold term of a section must be a step (or be listed, with the reason, as not on
screen), so a change to the guide that the screens do not follow, or to a screen that the guide
does not follow, fails here.
"""

import re
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from atrisk import services as atrisk_services
from atrisk.constants import EmergencyAdvice, Source, ThreatType
from contacts.constants import Behaviour
from contacts.models import CaseReference, Customer
from notifications import services as notifications_services
from privacy import services as privacy_services
from restrictions.constants import Status
from restrictions.models import Restriction
from tests.browser.conftest import DEMO_PASSWORD
from tests.contacts.factories import ContactFactory, EmailContactFactory
from tests.demo_data import load_demo_data

pytestmark = pytest.mark.django_db(transaction=True)

GUIDE = Path(settings.BASE_DIR) / "docs" / "guide"
SECTIONS = tomllib.loads((GUIDE / "steps.toml").read_text())["section"]
BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
STEP_KINDS = {"select", "follow", "heading", "see", "type", "choose", "option", "open",
              "open_link"}


def guide_sections(name: str) -> dict[str, str]:
    """The text of each "## " section of a guide page ("" is the text above the first)."""
    sections, heading, lines = {}, "", []
    for line in (GUIDE / name).read_text().splitlines():
        if line.startswith("## "):
            sections[heading] = "\n".join(lines)
            heading, lines = line[3:].strip(), []
        elif not line.startswith("# "):
            lines.append(line)
    sections[heading] = "\n".join(lines)
    return sections


def bold_terms(text: str) -> set[str]:
    return {" ".join(term.split()).rstrip(":,.") for term in BOLD.findall(text)}


def _id(section) -> str:
    return f"{section['guide'].removesuffix('.md')}: {section['heading'] or 'intro'}"


def test_every_guide_section_has_its_steps_and_every_bold_term_is_one():
    """The list and the guide agree: no section without steps, no bold term left out."""
    listed = {(s["guide"], s["heading"]) for s in SECTIONS}
    problems = []
    for path in sorted(GUIDE.glob("*.md")):
        if path.name == "README.md":
            continue
        for heading, text in guide_sections(path.name).items():
            key = (path.name, heading)
            if key not in listed:
                if bold_terms(text):  # a section that names screens must be followed
                    problems.append(f"{path.name} '{heading}' has no steps in steps.toml")
                continue
            section = next(s for s in SECTIONS if (s["guide"], s["heading"]) == key)
            named = {step.get("select") or step.get("see") or step.get("choose")
                     or step.get("option") for step in section["steps"]}
            covered = named | set(section.get("not_on_screen", []))
            for term in sorted(bold_terms(text) - covered):
                problems.append(f"{path.name} '{heading}': **{term}** is not a step")
            for step in section["steps"]:
                (kind,) = set(step) & STEP_KINDS
                if kind == "select" and step["select"] not in bold_terms(text):
                    problems.append(f"{path.name} '{heading}': the step select "
                                    f"{step['select']!r} is not **bold** in the guide")
    for section in SECTIONS:
        if section["heading"] not in guide_sections(section["guide"]):
            problems.append(f"steps.toml names a section the guide no longer has: "
                            f"{_id(section)}")
    assert not problems, "\n".join(problems)


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    load_demo_data()  # as ensure_role_groups() and load_demo leave it (tests/demo_data.py)
    return {u.username: u for u in User.objects.all()}


def _records(name: str, users) -> str:
    """The URL of a record a step opens, made the way the service makes it."""
    caseworker = users["caseworker"]
    plain = Customer.objects.get(given_name="Jon", family_name="Smithson")
    case = CaseReference.objects.filter(customer=plain).first()
    if name == "unrestricted_customer":
        return reverse("contacts:customer_detail", args=[plain.pk])
    if name == "offensive_contact":
        contact = ContactFactory(customer=plain, staff=caseworker, behaviour=Behaviour.OFFENSIVE)
        return reverse("contacts:contact_detail", args=[contact.pk])
    if name == "abusive_contact":
        contact = ContactFactory(customer=plain, staff=caseworker, behaviour=Behaviour.ABUSIVE,
                                 case_reference=case)
        return reverse("contacts:contact_detail", args=[contact.pk])
    if name == "written_contact":
        contact = EmailContactFactory(customer=plain, staff=caseworker,
                                      behaviour=Behaviour.OFFENSIVE)
        return reverse("contacts:contact_detail", args=[contact.pk])
    if name == "team_live_contact":
        contact = ContactFactory(customer=plain, staff=caseworker)
        return reverse("contacts:contact_detail", args=[contact.pk])
    if name in ("at_risk_report_with_case", "new_report"):
        report = atrisk_services.report_raise(
            raised_by=caseworker, source=Source.TELEPHONE, threat_type=ThreatType.SELF_HARM,
            what_was_said="Said they would hurt themselves tonight.",
            threat_made_at=timezone.now() - timedelta(minutes=5),
            emergency_advice=EmergencyAdvice.ADVISED, caller_name="Jon Smithson",
            customer=plain, case_reference=case,
            case_note="Called about their case; said they would hurt themselves tonight.")
        notifications_services.sweep()  # the alert reaches the inbox, as the beat does
        return reverse("atrisk:report_detail", args=[report.pk])
    if name == "waiting_request":
        waiting = Restriction.objects.filter(status=Status.SUBMITTED).order_by("pk").first()
        return reverse("restrictions:detail", args=[waiting.pk])
    if name == "approved_restriction":
        approved = Restriction.objects.filter(status=Status.APPROVED).order_by("pk").first()
        return reverse("restrictions:detail", args=[approved.pk])
    if name == "subject_access_request":
        sar = privacy_services.sar_create(customer=plain, received_on=timezone.localdate(),
                                          recorded_by=users["compliance"])
        privacy_services.sar_generate(sar_id=sar.pk)  # as the task does once it is recorded
        return reverse("privacy:sar_detail", args=[sar.pk])
    raise AssertionError(f"steps.toml names a record the test does not make: {name}")


def _named(scope, text: str, page):
    """The link or button called ``text``: exactly, or else the first whose name starts so.
    Results that appear as you type may take a moment: look for up to five seconds."""
    for _ in range(25):
        found = _find(scope, text)
        if found is not None:
            return found
        page.wait_for_timeout(200)
    return None


def _find(scope, text: str):
    for role in ("link", "button"):
        exact = scope.get_by_role(role, name=text, exact=True)
        if exact.count():
            return exact.first
    pattern = re.compile(rf"^\s*{re.escape(text)}")
    for role in ("link", "button"):
        starts = scope.get_by_role(role, name=pattern)
        if starts.count():
            return starts.first
    return None


def _click(page, target) -> None:
    target.click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("section", SECTIONS, ids=_id)
def test_the_guide_section_on_the_real_screens(browser, live_server, sign_in, demo, section):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, demo[section["as"]])
        made: dict[str, str] = {}

        def record(name: str) -> str:
            if name not in made:
                made[name] = _records(name, demo)
            return made[name]

        for name in section.get("make", []):
            record(name)
        start = section["start"]
        page.goto(f"{live_server.url}{start if start.startswith('/') else record(start)}")
        for number, step in enumerate(section["steps"], 1):
            (kind,) = set(step) & STEP_KINDS
            value = step[kind]
            where = f"{_id(section)}, step {number} ({kind} {value!r}) on {page.url}"
            if kind in ("select", "follow"):
                scope = page.get_by_role("navigation", name=step["in"]) if "in" in step else page
                target = _named(scope, value, page)
                assert target is not None, f"{where}: no such link or button"
                _click(page, target)
                assert "/accounts/sign-in/" not in page.url, where
                expect(page.locator("h1").first).not_to_contain_text(
                    re.compile("not allowed|Page not found|went wrong", re.I))
            elif kind == "heading":
                expect(page.locator("h1").first, where).to_have_text(value)
            elif kind == "see":
                expect(page.get_by_text(value).first, where).to_be_visible()
            elif kind == "type":
                field = page.get_by_label(value, exact=True)
                field.click()
                page.keyboard.type(step["text"])
            elif kind == "choose":
                page.get_by_label(value, exact=True).check()
            elif kind == "option":
                expect(page.get_by_label(value, exact=True), where).to_have_count(1)
            elif kind == "open":
                page.goto(f"{live_server.url}{record(value)}")
            elif kind == "open_link":
                link = page.locator(f'a[href^="{record(value)}"]').first
                expect(link, where).to_be_visible()
                _click(page, link)
    finally:
        context.close()

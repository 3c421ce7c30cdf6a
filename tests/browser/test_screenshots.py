"""Screenshots for the user guide (docs/guide/), taken from the demo data.

``make screenshots`` runs just this file; ``make test`` runs it too, so the pictures in the
guide are the real screens as they are today. Each role signs in through the real form (with
a one-time code where the role needs two-factor sign-in) and visits its key screens.
"""

from pathlib import Path

import pytest
from django.conf import settings

from accounts.models import User
from callogs.constants import LogStatus
from callogs.models import TerminatedCallLog
from restrictions.constants import Status
from restrictions.models import Restriction
from tests.browser.conftest import DEMO_PASSWORD
from tests.contacts.factories import ContactFactory
from tests.demo_data import load_demo_data

pytestmark = pytest.mark.django_db(transaction=True)

IMAGES = Path(settings.BASE_DIR) / "docs" / "guide" / "images"
VIEWPORT = {"width": 1100, "height": 900}


def _shots(data) -> dict[str, list[tuple[str, str]]]:
    """For each demo username, (image name, path) in the order the guide shows them."""
    contact, restricted, log, waiting = (data["contact"], data["restricted"], data["log"],
                                         data["waiting"])
    return {
        "caseworker": [
            ("caseworker-lookup", "/customers/?q=Smith"),  # shows the restriction tag
            ("customer-restriction-banner", f"/customers/{restricted.pk}/"),
            ("caseworker-contact-screen", f"/customers/contacts/{contact.pk}/"),
            ("caseworker-classify", f"/customers/contacts/{contact.pk}/classify/"),
            ("caseworker-offensive-step",
             f"/customers/contacts/{contact.pk}/steps/warned_will_end/"),
            ("caseworker-at-risk-report", f"/at-risk/new/?contact={contact.pk}"),
            ("caseworker-call-logs", "/call-logs/"),
        ],
        "manager": [
            ("manager-review-queue", "/call-logs/reviews/"),
            ("manager-log-review", f"/call-logs/{log.pk}/review/"),
            ("manager-welfare", "/welfare/"),
        ],
        "senior": [
            ("senior-at-risk-reports", "/at-risk/"),
            ("senior-duty-rota", "/at-risk/duty/"),
        ],
        "hod": [
            ("hod-restrictions-to-decide", "/restrictions/to-decide/"),
            ("hod-restriction-decide", f"/restrictions/{waiting.pk}/decide/"),
        ],
        "compliance": [
            ("compliance-disclosure-register", "/at-risk/disclosures/"),
            ("compliance-subject-access", "/privacy/subject-access/"),
        ],
        "admin": [
            ("administrator-admin", "/admin/"),
        ],
    }


@pytest.fixture
def demo_data(monkeypatch):
    """The demo data, with the test password, and one live offensive contact to show."""
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    load_demo_data()  # as ensure_role_groups() and load_demo leave it (tests/demo_data.py)
    caseworker = User.objects.get(username="caseworker")
    restricted = Restriction.objects.filter(status=Status.APPROVED).select_related(
        "customer").order_by("pk").first()
    waiting = Restriction.objects.filter(status=Status.SUBMITTED).order_by("pk").first()
    log = TerminatedCallLog.objects.filter(status=LogStatus.SUBMITTED).order_by("pk").first()
    missing = "the demo data no longer has what the guide shows"
    assert restricted is not None, missing
    assert waiting is not None, missing
    assert log is not None, missing
    contact = ContactFactory(customer=restricted.customer, staff=caseworker,
                             behaviour="offensive")
    return {"contact": contact, "restricted": restricted.customer, "log": log,
            "waiting": waiting}


def test_screenshots_of_each_roles_key_screens(browser, live_server, sign_in, demo_data):
    IMAGES.mkdir(parents=True, exist_ok=True)
    taken = []
    for username, shots in _shots(demo_data).items():
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        sign_in(page, User.objects.get(username=username))
        for name, path in shots:
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None, path
            assert response.ok, f"{username} {path}: {response.status}"
            page.wait_for_load_state("load")
            target = IMAGES / f"{name}.png"
            page.screenshot(path=str(target), full_page=True, animations="disabled")
            assert target.stat().st_size > 5000
            taken.append(name)
        context.close()
    assert len(taken) == len(set(taken)) == sum(len(s) for s in _shots(demo_data).values())

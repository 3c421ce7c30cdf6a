"""Proof 5 (issue 8): payloads stored in free-text fields come back escaped on every page,
print page and CSV that shows them; CSV cells that start a formula are neutralised."""

import csv
import io

import pytest
from django.urls import reverse

from tests.security.world import World

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<svg onload=alert(1)>",
    "<b onmouseover=alert(1)>hover</b>",
    "<scr\nipt>alert(1)</scr\nipt>",
    "<img\nsrc=x\nonerror=alert(1)>",
    "'-alert(1)-'",
]


def _poison(world: World, payload: str) -> None:
    """Put the payload into every free-text field of the world's records."""
    c = world.customer
    c.given_name = c.family_name = payload
    c.address = c.communication_needs = payload
    c.save()
    contact = world.contact
    contact.summary = contact.caller_name = contact.termination_reason = payload
    contact.save()
    for obj, fields in [
        (world.restriction, ["grounds", "terms_notes", "need", "decision_reason"]),
        (world.approved_restriction, ["grounds", "terms_notes", "need", "decision_reason"]),
        (world.report, ["what_was_said", "caller_name", "caller_other_details",
                        "location_given", "case_note"]),
        (world.disclosure, ["necessity", "less_intrusive_options", "consent_explanation",
                            "recipient_authority", "what_was_disclosed"]),
        (world.draft_log, ["caller_name", "reason", "staff_name"]),
        (world.distress_flag, ["note"]),
        (world.written_review, ["comments"]),
        (world.appeal, ["customer_grounds"]),
        (world.challenge, ["statement"]),
        (world.inbox_entry, ["text"]),
    ]:
        for field in fields:
            setattr(obj, field, payload)
        obj.save()


def _pages(world: World):
    r, ar = world.restriction, world.approved_restriction
    return [
        (world.caseworker, reverse("contacts:customer_detail", args=[world.customer.pk])),
        (world.caseworker, reverse("contacts:contact_detail", args=[world.contact.pk])),
        (world.caseworker, reverse("contacts:lookup") + "?q=" + world.customer.reference),
        (world.caseworker, reverse("contacts:queue")),
        (world.manager, reverse("contacts:review_detail", args=[world.written_review.pk])),
        (world.hod, reverse("restrictions:detail", args=[r.pk])),
        (world.hod, reverse("restrictions:grounds", args=[r.pk])),
        (world.hod, reverse("restrictions:to_decide")),
        (world.hod, reverse("restrictions:letter", args=[ar.pk])),
        (world.caseworker, reverse("restrictions:customer", args=[world.customer.pk])),
        (world.senior, reverse("atrisk:report_detail", args=[world.report.pk])),
        (world.senior, reverse("atrisk:report_list")),
        (world.compliance, reverse("atrisk:register")),
        (world.caseworker, reverse("callogs:log_detail", args=[world.draft_log.pk])),
        (world.caseworker, reverse("callogs:log_print", args=[world.draft_log.pk])),
        (world.caseworker, reverse("callogs:my_logs")),
        (world.manager, reverse("welfare:home")),
        (world.manager, reverse("welfare:distress_detail", args=[world.distress_flag.pk])),
        (world.caseworker, reverse("notifications:inbox")),
        (world.compliance, reverse("privacy:challenge_decide", args=[world.challenge.pk])),
        (world.manager, reverse("audit:customer_history", args=[world.customer.pk])),
    ]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_escaped_everywhere(payload, client_for):
    world = World()
    _poison(world, payload)
    problems = []
    for user, url in _pages(world):
        response = client_for(user).get(url)
        if response.status_code != 200:
            problems.append(f"{url}: {response.status_code}")
            continue
        html = response.content.decode()
        if "<" in payload and payload in html:
            problems.append(f"{url}: raw payload")
        if 'href="javascript:' in html.lower() or "<img src=x" in html:
            problems.append(f"{url}: live javascript link or image")
    assert not problems, problems


def test_payload_is_shown_escaped_not_dropped(client_for):
    """The escaping keeps the text readable: it is there, as text."""
    world = World()
    _poison(world, "<script>alert(1)</script>")
    html = client_for(world.caseworker).get(
        reverse("contacts:contact_detail", args=[world.contact.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("formula", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)"])
def test_disclosure_register_csv_neutralises_formulae(formula, client_for):
    world = World()
    disclosure = world.disclosure
    disclosure.what_was_disclosed = disclosure.recipient_authority = formula
    disclosure.save()
    response = client_for(world.compliance).get(reverse("atrisk:register_csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode()
                                       if response.streaming else response.content.decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + formula in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert not any(cell.startswith("-") for cell in cells)

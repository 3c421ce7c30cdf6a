"""Proof 2 (issue 8): lists and detail pages agree. For every actor and every main list,
each record the list links to opens, and no record the actor is refused is linked.

The records are the world's (owned by department A's caseworker); who is refused what comes
from the one permission matrix.
"""

import re

import pytest
from django.urls import Resolver404, resolve, reverse

from tests.security.permission_matrix import MATRIX
from tests.security.urlwalk import url_for
from tests.security.world import ACTORS, World

pytestmark = pytest.mark.django_db

LISTS = ["contacts:queue", "callogs:my_logs", "callogs:review_queue", "welfare:home",
         "restrictions:to_decide", "restrictions:mine", "restrictions:reviews_due",
         "restrictions:triage", "atrisk:report_list", "atrisk:register",
         "notifications:inbox", "privacy:sar_list"]
DETAILS = ["contacts:contact_detail", "contacts:review_detail", "contacts:flag_detail",
           "contacts:callback_done", "callogs:log_detail", "callogs:review",
           "welfare:follow_up_detail", "welfare:distress_detail", "restrictions:detail",
           "restrictions:triage_sign_off", "atrisk:report_detail", "privacy:sar_detail"]
HREF = re.compile(r'href="(/[^"#?]*)')


def _build(world):
    """Put the records where the lists look for them."""
    from notifications.services import schedule

    world.submitted_log  # noqa: B018  (in the manager's review queue)
    world.follow_up  # noqa: B018
    world.distress_flag  # noqa: B018
    world.restriction  # noqa: B018
    world.triage_item  # noqa: B018
    world.report  # noqa: B018
    world.sar  # noqa: B018
    world.flag  # noqa: B018
    world.written_review  # noqa: B018
    schedule(kind="callback_due", key="sec:callback", recipient=world.caseworker,
             due_at=world.callback.due_at, message="Call back", target=world.callback,
             link=reverse("contacts:contact_detail", args=[world.contact.pk]))


def test_lists_link_only_to_what_opens(client_for):
    world = World()
    _build(world)
    refused = {}
    for name in DETAILS:
        rule = MATRIX[name]
        url = url_for(name, rule, world)
        refused[url] = {a for a in ACTORS if a not in rule.allowed and a not in rule.redirected}
    problems = []
    seen = 0
    for actor in ACTORS:
        client = client_for(world.actor(actor))
        for list_name in LISTS:
            response = client.get(reverse(list_name))
            if response.status_code != 200:
                continue  # the matrix proves who may open the list itself
            for href in set(HREF.findall(response.content.decode())):
                try:
                    match = resolve(href)
                except Resolver404:
                    continue
                if match.view_name not in DETAILS:
                    continue
                seen += 1
                if actor in refused.get(href, set()):
                    problems.append(f"{list_name} lists {href} to {actor}, who is refused it")
                status = client.get(href).status_code
                if status in (403, 404, 500):
                    problems.append(f"{list_name} lists {href} to {actor}; it answers {status}")
    assert seen, "the lists should link to some records"
    assert not problems, "\n".join(problems)

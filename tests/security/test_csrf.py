"""Proof 6 (issue 8): a state-changing URL refuses a POST without a CSRF token, and the
POST-only ones refuse GET."""

import pytest
from django.test import Client

from audit.models import AuditEvent
from tests.otp import verify_client_session
from tests.security.permission_matrix import MATRIX
from tests.security.urlwalk import url_for
from tests.security.world import World

pytestmark = pytest.mark.django_db

POST_ONLY = {
    "notifications:mark_read", "notifications:mark_all_read", "callogs:take_over",
    "callogs:log_submit", "callogs:log_case_file", "contacts:contact_no_new_information",
    "restrictions:withdraw", "atrisk:report_acknowledge", "atrisk:disclosure_register_entry",
    "privacy:sar_retry",
}


def _allowed_actor(rule) -> str:
    # /api/v1/ allows no member of staff (it takes a key, never a session cookie, so there
    # is nothing to forge): a signed-in Administrator's tokenless POST must still be refused.
    return sorted(rule.allowed)[0] if rule.allowed else "admin"


@pytest.fixture
def world():
    return World()


def test_every_url_refuses_a_post_without_a_token(world):
    failures = []
    for name, rule in sorted(MATRIX.items()):
        user = world.actor(_allowed_actor(rule))
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        verify_client_session(client, user)
        url = url_for(name, rule, world)
        before = AuditEvent.objects.count()
        response = client.post(url, {"summary": "x", "reason": "x"})
        refused = (401, 403, 404, 405) if not rule.allowed else (403,)
        if response.status_code not in refused:
            failures.append(f"{name}: {response.status_code}")
        elif AuditEvent.objects.count() != before:
            failures.append(f"{name}: something was recorded")
    assert not failures, failures


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_post_only_urls_refuse_get(name, world, client_for):
    rule = MATRIX[name]
    before = AuditEvent.objects.count()
    response = client_for(world.actor(_allowed_actor(rule))).get(url_for(name, rule, world))
    assert response.status_code == 405
    assert AuditEvent.objects.count() == before  # nothing written

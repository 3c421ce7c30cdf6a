"""Every endpoint x every scope x anonymous: no key 401, a wrong or revoked key 401, a key
without the endpoint's scope 403, the right scope gets past both. Every call is audited
with the client's account as the actor."""

import pytest

from api import services
from api.constants import Scope
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

# (method, path, the one scope it needs)
ENDPOINTS = [
    ("get", "/api/v1/callers?phone=07700900123", Scope.LOOKUP),
    ("post", "/api/v1/calls/events", Scope.CALLS),
    ("put", "/api/v1/customers/CMEH-1", Scope.CASES),
    ("get", "/api/v1/case-file/terminated-call-logs/999999", Scope.CASES),
    ("post", "/api/v1/case-file/terminated-call-logs/999999/placed", Scope.CASES),
    ("get", "/api/v1/case-file/terminated-call-logs/999999/pdf", Scope.CASES),
    ("get", "/api/v1/case-file/at-risk-notes/999999/pdf", Scope.CASES),
    ("get", "/api/v1/case-file/at-risk-notes/999999", Scope.CASES),
    ("post", "/api/v1/case-file/at-risk-notes/999999/placed", Scope.CASES),
    ("get", "/api/v1/webhooks/subscriptions", Scope.WEBHOOKS),
    ("post", "/api/v1/webhooks/subscriptions", Scope.WEBHOOKS),
    ("delete", "/api/v1/webhooks/subscriptions/999999", Scope.WEBHOOKS),
    ("get", "/api/v1/webhooks/deliveries", Scope.WEBHOOKS),
]
IDS = [f"{m} {p.split('?')[0]}" for m, p, _ in ENDPOINTS]


def _call(client, method, path):
    return getattr(client, method)(path, {}, format="json") if method != "get" else \
        client.get(path)


@pytest.mark.parametrize(("method", "path", "scope"), ENDPOINTS, ids=IDS)
def test_anonymous_gets_401_problem(api_for, method, path, scope):
    response = _call(api_for(None), method, path)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


@pytest.mark.parametrize(("method", "path", "scope"), ENDPOINTS, ids=IDS)
def test_signed_in_staff_session_is_not_a_key(client_for, make_user, method, path, scope):
    """A browser session (even an Administrator's, even a superuser's) cannot call the API."""
    from accounts.constants import Role

    user = make_user(Role.ADMINISTRATOR, is_superuser=True)
    response = getattr(client_for(user), method)(path)
    assert response.status_code == 401


@pytest.mark.parametrize(("method", "path", "scope"), ENDPOINTS, ids=IDS)
@pytest.mark.parametrize("held", Scope.values)
def test_scope_decides(make_client, api_for, method, path, scope, held):
    client, key = make_client(scopes=[held])
    response = _call(api_for(key), method, path)
    if held == scope:
        assert response.status_code not in (401, 403), response.content
    else:
        assert response.status_code == 403
        assert response.json()["type"] == "urn:contact-handling:problem:permission-denied"
    event = AuditEvent.objects.filter(action="api.called").latest("id")
    assert event.actor_id == client.account_id
    assert event.changes["status"] == response.status_code
    assert "07700900123" not in str(event.changes)  # the query string is not kept


@pytest.mark.parametrize("key", ["chk_nothex_secret", "Bearer", "chk_0123456789ab_wrong", ""])
def test_wrong_keys_are_401(api_for, full_client, key):
    client = api_for(None)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/callers?phone=0770").status_code == 401


def test_revoked_and_rotated_keys_stop_working(administrator, make_client, api_for):
    client, old = make_client(scopes=[Scope.LOOKUP])
    assert api_for(old).get("/api/v1/callers?phone=0770").status_code == 200
    client, new = services.client_rotate(actor=administrator, client=client)
    assert api_for(old).get("/api/v1/callers?phone=0770").status_code == 401
    assert api_for(new).get("/api/v1/callers?phone=0770").status_code == 200
    services.client_revoke(actor=administrator, client=client)
    response = api_for(new).get("/api/v1/callers?phone=0770")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_rate_limit_answers_429_with_retry_after(make_client, api_for):
    _, key = make_client(scopes=[Scope.LOOKUP], rate_limit_per_minute=3)
    api = api_for(key)
    assert [api.get("/api/v1/callers?phone=0770").status_code for _ in range(3)] == [200] * 3
    response = api.get("/api/v1/callers?phone=0770")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 61
    assert response.json()["type"] == "urn:contact-handling:problem:throttled"


def test_rate_limit_reads_the_cache_the_settings_name_at_the_time(settings):
    """Not one fixed at import: the suite's workers each get a Redis database of their own
    after Django starts, and a shared one let one worker's cache.clear() wipe another's
    rate history (a 4th request within the minute was let through)."""
    from django.core.cache import caches

    from api.throttling import ClientRateThrottle

    settings.CACHES = {**settings.CACHES, "api": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rate-test"}}
    assert ClientRateThrottle().cache is caches["api"]


def test_rate_limit_is_per_client(make_client, api_for):
    _, slow = make_client(scopes=[Scope.LOOKUP], rate_limit_per_minute=1)
    _, other = make_client(scopes=[Scope.LOOKUP], rate_limit_per_minute=1)
    assert api_for(slow).get("/api/v1/callers?phone=0770").status_code == 200
    assert api_for(slow).get("/api/v1/callers?phone=0770").status_code == 429
    assert api_for(other).get("/api/v1/callers?phone=0770").status_code == 200

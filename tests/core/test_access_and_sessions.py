"""Sign-in is required everywhere but the public pages; sessions end after 30 idle minutes."""

import datetime as dt

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.constants import Role

pytestmark = pytest.mark.django_db

# The sign-in pages of issue 21 are public too; tested in tests/accounts/test_sso_*.py.
# core:metrics takes a bearer token, not a sign-in: 404 or 401 (tests/core/test_metrics.py).
PUBLIC = {"accounts:login", "core:healthz", "accounts:break_glass", "accounts:oidc_start",
          "accounts:oidc_callback", "core:metrics"}
SAMPLE_ARGS = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000001",
               "path": "x"}


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern), entry


def _concrete(route: str) -> str:
    import re

    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_ARGS.get(m.group(1) or "str", "x"), route)
    return "/" + path.lstrip("^").rstrip("$").replace("\\Z", "")


def app_urls():
    for name, route, _ in _walk(get_resolver()):
        if name.startswith("admin:") or name in PUBLIC or "(?P" in route:
            continue
        yield name, _concrete(route)


@pytest.mark.parametrize(("name", "url"), list(app_urls()))
def test_anonymous_user_is_sent_to_sign_in(client, name, url):
    response = client.get(url)
    if name.startswith("api:"):
        # the integration API takes a system client's key, not a session: 401 (404 for a
        # path that names no endpoint), never a sign-in page; see tests/api/test_access.py
        assert response.status_code == (404 if name == "api:not_found" else 401), name
        return
    assert response.status_code == 302, f"{name} answered {response.status_code}"
    assert response["Location"].startswith(reverse("accounts:login"))


def test_admin_needs_sign_in_too(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_public_pages_open_without_sign_in(client):
    assert client.get(reverse("accounts:login")).status_code == 200
    assert client.get(reverse("core:healthz")).status_code == 200


def test_sign_in_and_sign_out(client, make_user):
    make_user(Role.CASEWORKER, username="casey")
    response = client.post(reverse("accounts:login"),
                           {"username": "casey", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("accounts:logout")).status_code == 405  # sign-out is POST only
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("core:home")).status_code == 302


def test_wrong_password_shows_error_summary_and_keeps_username(client, make_user):
    make_user(Role.CASEWORKER, username="casey")
    response = client.post(reverse("accounts:login"), {"username": "casey", "password": "nope"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter a correct username and password" in html
    assert 'value="casey"' in html


def test_session_ends_after_thirty_idle_minutes(client, make_user):
    user = make_user(Role.CASEWORKER)
    start = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(user)
        clock.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("core:home")).status_code == 200
        clock.shift(dt.timedelta(minutes=29))  # active: each request renews the idle clock
        assert client.get(reverse("core:home")).status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get(reverse("core:home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

"""Error pages are generic, carry a reference and the security headers; no |safe in our code."""

import re
from pathlib import Path

import pytest
from django.test import Client, override_settings

from accounts.constants import Role

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
                    "X-Frame-Options", "Cross-Origin-Opener-Policy", "Permissions-Policy")


def _assert_security_headers(response):
    for header in SECURITY_HEADERS:
        assert header in response, f"{header} missing on {response.status_code}"
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp


@override_settings(ROOT_URLCONF="tests.security.urls_raising")
def test_a_forced_error_shows_a_generic_page_with_a_reference(make_user, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.CASEWORKER))
    response = client.get("/broken/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    reference = re.search(r"quote reference <strong>([0-9a-f]{12})</strong>", html).group(1)
    assert "Traceback" not in html
    assert "secret detail" not in html
    assert reference in caplog.text  # the reference ties the page to the log line
    _assert_security_headers(response)


def test_404_and_403_pages_carry_security_headers(client_for, make_user):
    client = client_for(make_user(Role.CASEWORKER))
    _assert_security_headers(client.get("/no-such-page/"))
    _assert_security_headers(client.get("/admin/"))  # not staff: admin sign-in page


def test_no_safe_filter_or_mark_safe_in_our_templates_and_code():
    offenders = []
    for folder in ("templates", "accounts", "audit", "atrisk", "callogs", "config", "contacts",
                   "core", "notifications", "restrictions", "welfare"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".html", ".py", ".txt"} or "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            # Plain-text email bodies turn HTML escaping off (no browser renders them).
            plain_text_email = path.suffix == ".txt" and "email" in path.parts
            pattern = r"\|\s*safe\b|mark_safe\(" + ("" if plain_text_email
                                                     else r"|\{%\s*autoescape\s+off")
            if re.search(pattern, text):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.parametrize("path", ["/", "/accounts/sign-in/", "/healthz", "/static/js/app.js"])
def test_permissions_policy_turns_powerful_features_off(client, path):
    """Issue 19, finding 11: camera, microphone, geolocation and the rest off everywhere."""
    policy = client.get(path)["Permissions-Policy"]
    features = dict(part.strip().split("=") for part in policy.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "fullscreen",
                    "display-capture", "browsing-topics"):
        assert features[feature] == "()", feature
    assert set(features.values()) == {"()"}

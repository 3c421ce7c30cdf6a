"""Home, health check, error pages and production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.constants import Role
from config.celery import app as celery_app
from core import views

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_healthz_is_200_when_database_and_broker_answer(client):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "broker": True}


def test_healthz_is_503_when_the_broker_does_not_answer(client, monkeypatch):
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    assert response.json()["broker"] is False


@pytest.mark.parametrize("role", Role.values)
def test_home_page_for_each_role(client_for, make_user, role):
    user = make_user(role, first_name="Robin", last_name="Fisher")
    response = client_for(user).get(reverse("core:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Signed in as Robin Fisher" in html
    assert role in html
    assert 'href="#main-content"' in html  # skip link


def test_unknown_page_is_a_styled_404(client_for, make_user):
    response = client_for(make_user(Role.CASEWORKER)).get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_has_a_reference_and_no_traceback():
    response = views.server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "quote reference" in html
    assert "Traceback" not in html


def test_security_headers_on_sign_in_page(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_check_deploy_is_clean_under_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-length-and-variety-0123456789",
        "ALLOWED_HOSTS": "contact.example.org",
        "DATABASE_URL": "sqlite:////tmp/check-deploy.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout

"""The sign-in page, break-glass sign-in and the public SSO endpoints (issue 21)."""

import pytest
from django.urls import reverse

from accounts.constants import Role
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture
def sso(settings):
    settings.OIDC_ISSUER = "https://login.example.org/tenant"
    settings.OIDC_RP_CLIENT_ID = "service"
    settings.OIDC_ORGANISATION_NAME = "Example Council"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example.org/authorize"
    return settings


def test_without_sso_the_page_shows_the_local_form_only(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'name="password"' in html
    assert "oidc/start" not in html


def test_start_and_callback_are_not_found_without_sso(client):
    assert client.get(reverse("accounts:oidc_start")).status_code == 404
    assert client.get(reverse("accounts:oidc_callback")).status_code == 404


def test_with_sso_and_local_accounts_the_page_offers_both(client, sso):
    sso.LOCAL_ACCOUNTS_ENABLED = True
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with Example Council" in html
    assert 'name="password"' in html


def test_with_local_accounts_off_only_the_provider_is_offered(client, sso, make_user):
    sso.LOCAL_ACCOUNTS_ENABLED = False
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with Example Council" in html
    assert 'name="password"' not in html
    make_user(Role.CASEWORKER, username="casey")
    client.post(reverse("accounts:login"), {"username": "casey", "password": PASSWORD})
    assert "_auth_user_id" not in client.session  # refused, not just hidden
    # ...and not through the Django admin's own login form either.
    make_user(Role.ADMINISTRATOR, username="admin2", is_staff=True, is_superuser=True)
    client.post(reverse("admin:login"), {"username": "admin2", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_break_glass_administrator_signs_in_locally_and_is_audited(client, sso, make_user):
    sso.LOCAL_ACCOUNTS_ENABLED = False
    sso.LOCAL_BREAK_GLASS_USERNAMES = ["breakglass"]
    admin = make_user(Role.ADMINISTRATOR, username="breakglass")
    make_user(Role.ADMINISTRATOR, username="otheradmin")
    page = client.get(reverse("accounts:break_glass")).content.decode()
    assert 'name="password"' in page
    assert "break-glass" in page
    client.post(reverse("accounts:break_glass"), {"username": "otheradmin",
                                                  "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("accounts:break_glass"), {"username": "breakglass",
                                                             "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)
    # ...and still confirms a one-time code, as every administrator does.
    assert client.get(reverse("core:home"))["Location"] == reverse("accounts:two_factor")
    assert AuditEvent.objects.filter(action="user.break_glass_sign_in",
                                     target_id=str(admin.pk)).exists()


def test_start_redirects_to_the_provider_with_state_nonce_and_pkce(client, sso):
    response = client.get(reverse("accounts:oidc_start"))
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://login.example.org/authorize?")
    for part in ("response_type=code", "client_id=service", "state=", "nonce=",
                 "code_challenge=", "code_challenge_method=S256",
                 "redirect_uri=http%3A%2F%2Ftestserver%2Faccounts%2Foidc%2Fcallback%2F"):
        assert part in location
    assert client.session["oidc_states"]


def test_callback_with_a_state_this_browser_did_not_start_is_refused(client, sso):
    client.get(reverse("accounts:oidc_start"))
    response = client.get(reverse("accounts:oidc_callback"), {"code": "x", "state": "forged"})
    assert response.status_code == 400
    assert b"was not started from this browser" in response.content


def test_callback_without_any_sign_in_started_is_refused(client, sso):
    response = client.get(reverse("accounts:oidc_callback"), {"code": "x", "state": "y"})
    assert response.status_code == 400
    assert b"You have not been signed in" in response.content


def test_callback_with_an_error_from_the_provider_is_refused(client, sso):
    response = client.get(reverse("accounts:oidc_callback"),
                          {"error": "access_denied", "state": "y"})
    assert response.status_code == 403
    assert b"did not sign you in" in response.content


def test_unreachable_provider_is_a_clear_page_not_a_500(client, settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # discovery cannot connect
    settings.OIDC_RP_CLIENT_ID = "service"
    from accounts.sso.config import forget_discovery

    forget_discovery()
    response = client.get(reverse("accounts:oidc_start"))
    assert response.status_code == 502
    assert b"could not be reached" in response.content


def test_system_check_refuses_a_configuration_that_cannot_work(settings):
    from accounts.sso.checks import check_sso_settings

    settings.OIDC_ISSUER = ""
    assert check_sso_settings() == []
    settings.OIDC_ISSUER = "https://login.example.org"
    settings.OIDC_RP_CLIENT_ID = "service"
    settings.OIDC_RP_CLIENT_SECRET = ""
    settings.OIDC_ROLE_GROUPS = {"Caseworkers": ["x"]}
    assert {m.id for m in check_sso_settings()} == {"accounts.E101", "accounts.E102"}
    settings.OIDC_RP_CLIENT_SECRET = "s"
    settings.OIDC_ROLE_GROUPS = {}
    assert {m.id for m in check_sso_settings()} == {"accounts.E103"}
    settings.OIDC_ROLE_GROUPS = {"Caseworker": ["x"]}
    assert check_sso_settings() == []


def test_admin_shows_the_provider_identity_read_only(client, make_user):
    from accounts.models import ExternalIdentity

    admin = make_user(Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    person = make_user(Role.CASEWORKER)
    ExternalIdentity.objects.create(user=person, issuer="https://idp.example.org",
                                    subject="subject-42")
    client.force_login(admin)
    session = client.session
    session["sso_second_factor"] = True  # stands in for the code an administrator confirms
    session.save()
    page = client.get(reverse("admin:accounts_user_change", args=[person.pk]))
    assert page.status_code == 200
    assert b"subject-42" in page.content
    assert b'name="external_identities-0-subject"' not in page.content  # not editable


@pytest.mark.parametrize(("environment", "local"), [
    ({"DJANGO_ENV": "production", "SECRET_KEY": "k", "ALLOWED_HOSTS": "h"}, "False"),
    ({"DJANGO_ENV": "development", "DEBUG": "true"}, "True"),
    ({"DJANGO_ENV": "production", "SECRET_KEY": "k", "ALLOWED_HOSTS": "h",
      "LOCAL_ACCOUNTS_ENABLED": "true"}, "True"),
])
def test_local_accounts_are_off_by_default_in_production_only(environment, local):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_ENV", "DEBUG", "LOCAL_ACCOUNTS_ENABLED")}
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.LOCAL_ACCOUNTS_ENABLED)"],
        env={**env, **environment}, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == local

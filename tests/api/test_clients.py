"""System clients: registered by an Administrator (screen or command), key shown once and
only its hash kept, scopes, rotation and revocation; nobody else, not even a superuser."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.constants import Role
from api import keys, services
from api.models import SystemClient
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_register_keeps_only_a_hash_and_audits(administrator):
    client, key = services.client_register(actor=administrator, name="Telephony",
                                           kind="telephony", scopes=["lookup", "calls"])
    assert key.startswith(f"chk_{client.key_prefix}_")
    assert key not in str(SystemClient.objects.filter(pk=client.pk).values().get())
    assert keys.key_matches(key, client.key_hash)
    assert client.account.is_active is False
    assert not client.account.has_usable_password()
    event = AuditEvent.objects.get(action="systemclient.registered")
    assert event.actor == administrator
    assert key not in str(event.changes)


@pytest.mark.parametrize("roles", [[Role.CASEWORKER], [Role.HEAD_OF_DEPARTMENT],
                                   [Role.COMPLIANCE], []])
def test_only_an_administrator_registers(make_user, roles):
    with pytest.raises(PermissionDenied):
        services.client_register(actor=make_user(*roles, is_superuser=True), name="X",
                                 kind="other", scopes=["lookup"])


def test_bad_registration_is_a_validation_error(administrator):
    services.client_register(actor=administrator, name="CMEH", kind="case_management",
                             scopes=["cases"])
    with pytest.raises(ValidationError) as error:
        services.client_register(actor=administrator, name="cmeh", kind="nope",
                                 scopes=["everything"], rate_limit_per_minute=0)
    assert set(error.value.message_dict) == {"name", "kind", "rate_limit_per_minute"}


def test_screen_registers_and_shows_the_key_once(administrator, client_for):
    browser = client_for(administrator)
    response = browser.post(reverse("integrations:client_register"), {
        "name": "Intranet ICON", "kind": "intranet", "scopes": ["lookup"],
        "rate_limit_per_minute": 120})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    client = SystemClient.objects.get(name="Intranet ICON")
    key = response.context["key"]
    assert keys.key_matches(key, client.key_hash)
    detail = browser.get(reverse("integrations:client_detail", args=[client.pk]))
    assert key.encode() not in detail.content
    listing = browser.get(reverse("integrations:client_list"))
    assert b"Intranet ICON" in listing.content


def test_screen_keeps_what_was_typed_on_an_error(administrator, client_for):
    response = client_for(administrator).post(reverse("integrations:client_register"), {
        "name": "Half typed", "kind": "intranet", "rate_limit_per_minute": 120})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b'value="Half typed"' in response.content


def test_screen_rotates_and_revokes(administrator, client_for, make_client, api_for):
    client, old = make_client(scopes=["lookup"])
    browser = client_for(administrator)
    rotated = browser.post(reverse("integrations:client_rotate", args=[client.pk]))
    new = rotated.context["key"]
    assert new != old
    assert api_for(new).get("/api/v1/callers?phone=0770").status_code == 200
    browser.post(reverse("integrations:client_revoke", args=[client.pk]))
    assert api_for(new).get("/api/v1/callers?phone=0770").status_code == 401
    again = browser.post(reverse("integrations:client_revoke", args=[client.pk]), follow=True)
    assert b"already been revoked" in again.content


def test_screen_changes_scopes(administrator, client_for, make_client, api_for):
    client, key = make_client(scopes=["lookup"])
    client_for(administrator).post(reverse("integrations:client_detail", args=[client.pk]),
                                   {"scopes": ["calls"]})
    assert api_for(key).get("/api/v1/callers?phone=0770").status_code == 403


def test_management_command_prints_the_key(administrator):
    out = StringIO()
    call_command("api_client_register", "--admin", administrator.username, "--name", "PBX",
                 "--kind", "telephony", "--scopes", "lookup,calls", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    assert keys.key_matches(key, SystemClient.objects.get(name="PBX").key_hash)


def test_management_command_refuses_a_non_administrator(make_user):
    user = make_user(Role.CASEWORKER)
    with pytest.raises(CommandError, match="Only an Administrator"):
        call_command("api_client_register", "--admin", user.username, "--name", "PBX",
                     "--scopes", "lookup", stdout=StringIO())

"""Lockout, two-factor sign-in, session lifetime and no-store (issue: security hardening)."""

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.constants import Role
from tests.otp import confirmed_device, current_code, enrolment_code

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
SIGN_IN = "/accounts/sign-in/"


def _sign_in(client, username, password=PASSWORD):
    return client.post(SIGN_IN, {"username": username, "password": password},
                       REMOTE_ADDR="10.0.0.5")


def test_five_failed_sign_ins_lock_the_account(client, make_user):
    make_user(Role.CASEWORKER, username="casey")
    for _ in range(5):
        _sign_in(client, "casey", "wrong")
    response = _sign_in(client, "casey")  # even the right password is refused now
    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 302


def test_sign_in_gets_a_new_session_key(client, make_user):
    make_user(Role.CASEWORKER, username="casey")
    client.get(SIGN_IN)
    before = client.cookies.get("sessionid")
    _sign_in(client, "casey")
    after = client.cookies["sessionid"].value
    assert before is None or before.value != after


@pytest.mark.parametrize("role", [Role.HEAD_OF_DEPARTMENT, Role.COMPLIANCE, Role.ADMINISTRATOR])
def test_privileged_roles_must_confirm_a_code(client, make_user, role):
    user = make_user(role, username="boss")
    device = confirmed_device(user)
    _sign_in(client, "boss")
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor")
    response = client.post(reverse("accounts:two_factor"), {"token": current_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.LINE_MANAGER, Role.SENIOR_STAFF])
def test_other_roles_sign_in_with_password_alone(client, make_user, role):
    make_user(role, username="staff")
    _sign_in(client, "staff")
    assert client.get(reverse("core:home")).status_code == 200


def test_first_sign_in_sets_up_the_authenticator(client, make_user):
    user = make_user(Role.COMPLIANCE, username="comp")
    code = enrolment_code(user)  # issue 19, finding 1: an administrator issued it
    _sign_in(client, "comp")
    client.post(reverse("accounts:two_factor"), {"code": code})
    response = client.get(reverse("accounts:two_factor"))
    html = response.content.decode()
    assert "Set up two-factor sign-in" in html
    assert 'src="data:image/svg+xml;base64,' in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(reverse("accounts:two_factor"), {"token": current_code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:home")).status_code == 200


def test_a_used_code_is_refused_the_second_time(make_user):
    user = make_user(Role.HEAD_OF_DEPARTMENT, username="hod")
    device = confirmed_device(user)
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, 5, tzinfo=dt.UTC), tick=False):
        code = current_code(device)
        first, second = Client(), Client()
        _sign_in(first, "hod")
        assert first.post(reverse("accounts:two_factor"), {"token": code}).status_code == 302
        _sign_in(second, "hod")
        response = second.post(reverse("accounts:two_factor"), {"token": code})
    assert response.status_code == 200
    assert "already been used" in response.content.decode()
    assert second.get(reverse("core:home")).status_code == 302


def test_wrong_code_shows_error_summary(client, make_user):
    user = make_user(Role.HEAD_OF_DEPARTMENT, username="hod")
    confirmed_device(user)
    _sign_in(client, "hod")
    response = client.post(reverse("accounts:two_factor"), {"token": "12ab"})
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert 'value="12ab"' in html


def test_session_ends_after_twelve_hours_even_when_active(client, make_user):
    make_user(Role.CASEWORKER, username="casey")
    start = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        _sign_in(client, "casey")
        for _ in range(47):  # a request every 15 minutes for 11 hours 45 minutes
            clock.shift(dt.timedelta(minutes=15))
            assert client.get(reverse("core:home")).status_code == 200
        clock.shift(dt.timedelta(minutes=20))  # 12h05 since sign-in, only 20 minutes idle
        response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_signed_in_pages_are_not_cached(client_for, make_user):
    response = client_for(make_user(Role.CASEWORKER)).get(reverse("core:home"))
    assert "no-store" in response["Cache-Control"]


def test_sign_out_ends_the_session_on_the_server(client, make_user):
    make_user(Role.CASEWORKER, username="casey")
    _sign_in(client, "casey")
    key = client.cookies["sessionid"].value
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_disabling_a_user_ends_their_sessions(client, make_user):
    user = make_user(Role.CASEWORKER, username="casey")
    _sign_in(client, "casey")
    assert client.get(reverse("core:home")).status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(reverse("core:home")).status_code == 302

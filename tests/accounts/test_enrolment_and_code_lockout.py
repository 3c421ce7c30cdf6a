"""Issue 19, findings 1 and 2: enrolling an authenticator needs an administrator-issued
one-time code, and wrong codes count toward the sign-in lockout.
"""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.constants import Role
from accounts.enrolment import enrolment_code_issue
from audit.models import AuditEvent
from tests.otp import confirmed_device, current_code, enrolment_code

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
TWO_FACTOR = "/accounts/two-factor/"
HOME = "/"


def _signed_in(username, address="10.0.0.5") -> Client:
    client = Client(REMOTE_ADDR=address)
    response = client.post("/accounts/sign-in/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, "the password is right"
    return client


def _actions(user) -> list[str]:
    return list(AuditEvent.objects.filter(target_id=str(user.pk), action__startswith="user.")
                .order_by("id").values_list("action", flat=True))


# --- finding 1: enrolment ----------------------------------------------------------------


def test_the_password_alone_never_shows_the_secret(make_user):
    user = make_user(Role.COMPLIANCE, username="comp", password=PASSWORD)
    client = _signed_in("comp")
    html = client.get(TWO_FACTOR).content.decode()
    assert "Enrolment code" in html
    assert "data:image/svg+xml" not in html
    assert "app-secret" not in html
    assert not TOTPDevice.objects.filter(user=user).exists()
    response = client.post(TWO_FACTOR, {"code": "AAAA-BBBB-CCCC"})
    assert "not right, has expired or has already been used" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get(HOME).status_code == 302


def test_an_issued_code_enrols_once(make_user):
    admin = make_user(Role.ADMINISTRATOR, username="admin1")
    user = make_user(Role.HEAD_OF_DEPARTMENT, username="head", password=PASSWORD)
    code = enrolment_code(user, issued_by=admin)
    client = _signed_in("head")
    response = client.post(TWO_FACTOR, {"code": code.lower().replace("-", " ")})
    assert response.status_code == 302
    html = client.get(TWO_FACTOR).content.decode()
    assert "data:image/svg+xml" in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(TWO_FACTOR, {"token": current_code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(HOME).status_code == 200
    assert _actions(user) == ["user.enrolment_code_issued", "user.enrolment_code_used",
                              "user.two_factor_set_up"]
    # Single use: the same code does not enrol again (in another session, say a thief's).
    TOTPDevice.objects.filter(user=user).delete()
    other = _signed_in("head", address="10.9.9.9")
    assert "not right" in other.post(TWO_FACTOR, {"code": code}).content.decode()


def test_a_code_expires(make_user):
    user = make_user(Role.COMPLIANCE, username="comp", password=PASSWORD)
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)):
        code = enrolment_code(user)
    with time_machine.travel(dt.datetime(2026, 11, 3, 9, 1, tzinfo=dt.UTC)):
        client = _signed_in("comp")
        response = client.post(TWO_FACTOR, {"code": code})
    assert "has expired" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_a_code_is_only_for_the_person_it_was_issued_to(make_user):
    make_user(Role.COMPLIANCE, username="comp", password=PASSWORD)
    other = make_user(Role.COMPLIANCE, username="comp2")
    code = enrolment_code(other)
    client = _signed_in("comp")
    assert "not right" in client.post(TWO_FACTOR, {"code": code}).content.decode()


def test_re_enrolment_invalidates_the_old_device(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR, username="admin1")
    user = make_user(Role.HEAD_OF_DEPARTMENT, username="head", password=PASSWORD)
    old = confirmed_device(user)
    old_code = current_code(old)
    response = client_for(admin).post(reverse("accounts:enrolment_code_issue", args=[user.pk]))
    code = response.context["code"]
    assert code
    assert not TOTPDevice.objects.filter(pk=old.pk).exists(), "the lost phone stops working"
    client = _signed_in("head")
    assert "Enrolment code" in client.post(TWO_FACTOR, {"token": old_code}).content.decode()
    client.post(TWO_FACTOR, {"code": code})
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(TWO_FACTOR, {"token": current_code(new)})
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", "confirmed")) == [
        (new.pk, True)]


def test_only_another_administrator_issues_codes(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR, username="admin1")
    hod = make_user(Role.HEAD_OF_DEPARTMENT, username="head")
    url = reverse("accounts:enrolment_code_issue", args=[hod.pk])
    for role in (Role.CASEWORKER, Role.HEAD_OF_DEPARTMENT, Role.COMPLIANCE):
        assert client_for(make_user(role)).post(url).status_code == 403
    own = client_for(admin).post(reverse("accounts:enrolment_code_issue", args=[admin.pk]))
    assert own.context["code"] is None
    assert "another administrator" in own.content.decode()
    superuser = make_user(username="root", is_superuser=True, is_staff=True)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):  # a superuser is not exempt from the role check
        enrolment_code_issue(user=hod, issued_by=superuser)
    listing = client_for(admin).get(reverse("accounts:enrolment")).content.decode()
    assert reverse("accounts:enrolment_code_issue", args=[hod.pk]) in listing


def test_load_demo_prints_an_enrolment_code_per_two_factor_user(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "Two-factor enrolment codes" in text
    printed = dict(line.split() for line in text.split("Two-factor enrolment codes")[1]
                   .splitlines()[1:] if line.strip())
    assert set(printed) == {"hod", "hod2", "compliance", "admin"}
    client = _signed_in_demo("compliance")
    assert client.post(TWO_FACTOR, {"code": printed["compliance"]}).status_code == 302


def _signed_in_demo(username) -> Client:
    client = Client()
    response = client.post("/accounts/sign-in/",
                           {"username": username, "password": "demo-password-2026"})
    assert response.status_code == 302
    return client


def test_issue_enrolment_code_command(make_user):
    user = make_user(Role.ADMINISTRATOR, username="first_admin", password=PASSWORD)
    out = StringIO()
    call_command("issue_enrolment_code", "first_admin", stdout=out)
    code = out.getvalue().split()[0]
    client = _signed_in("first_admin")
    assert client.post(TWO_FACTOR, {"code": code}).status_code == 302
    assert TOTPDevice.objects.filter(user=user, confirmed=False).exists()


# --- finding 2: wrong codes lock out, per account and address ----------------------------


def test_wrong_security_codes_lock_the_account_from_that_address(make_user):
    user = make_user(Role.HEAD_OF_DEPARTMENT, username="head", password=PASSWORD)
    device = confirmed_device(user)
    thief = _signed_in("head", address="10.6.6.6")
    for _ in range(4):
        assert thief.post(TWO_FACTOR, {"token": "000000"}).status_code == 200
    response = thief.post(TWO_FACTOR, {"token": "000000"})
    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()
    assert thief.get(HOME).status_code == 302, "the session has ended"
    # Even the right code, or a fresh password sign-in, from that address is refused now.
    again = Client(REMOTE_ADDR="10.6.6.6")
    refused = again.post("/accounts/sign-in/", {"username": "head", "password": PASSWORD})
    assert refused.status_code == 429
    assert AuditEvent.objects.filter(action="user.sign_in_code_failed",
                                     target_id=str(user.pk)).count() == 5
    assert AuditEvent.objects.filter(action="user.sign_in_locked_out",
                                     target_id=str(user.pk)).exists()
    # The real user at their own address is not locked out, and django-otp's per-device
    # throttle no longer refuses their right code.
    real = _signed_in("head", address="10.0.0.5")
    assert real.post(TWO_FACTOR, {"token": current_code(device)}).status_code == 302
    assert real.get(HOME).status_code == 200


def test_signing_in_again_does_not_reset_the_count(make_user):
    user = make_user(Role.COMPLIANCE, username="comp", password=PASSWORD)
    confirmed_device(user)
    for _ in range(2):  # 2 + 2 wrong codes, signing in with the password between
        client = _signed_in("comp", address="10.6.6.6")
        client.post(TWO_FACTOR, {"token": "000000"})
        client.post(TWO_FACTOR, {"token": "000000"})
    client = _signed_in("comp", address="10.6.6.6")
    assert client.post(TWO_FACTOR, {"token": "000000"}).status_code == 429


def test_wrong_enrolment_codes_count_too(make_user):
    make_user(Role.COMPLIANCE, username="comp", password=PASSWORD)
    client = _signed_in("comp", address="10.6.6.6")
    for _ in range(4):
        client.post(TWO_FACTOR, {"code": "AAAA-BBBB-CCCC"})
    assert client.post(TWO_FACTOR, {"code": "AAAA-BBBB-CCCC"}).status_code == 429


def test_the_lock_lifts_by_itself_after_the_cool_off(make_user):
    user = make_user(Role.HEAD_OF_DEPARTMENT, username="head", password=PASSWORD)
    device = confirmed_device(user)
    start = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client = _signed_in("head", address="10.6.6.6")
        for _ in range(5):
            client.post(TWO_FACTOR, {"token": "000000"})
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        client = _signed_in("head", address="10.6.6.6")
        assert client.post(TWO_FACTOR, {"token": current_code(device)}).status_code == 302
        assert client.get(HOME).status_code == 200

"""Helpers for two-factor sign-in in tests: a confirmed device and its current code."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.security import two_factor_required


def confirmed_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def verify_client_session(client, user) -> None:
    """Mark a force-logged-in test client's session as two-factor verified, if needed."""
    if two_factor_required(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
        session.save()


def enrolment_code(user, issued_by=None) -> str:
    """A one-time enrolment code for ``user``, as an administrator (or the command) issues it."""
    from accounts.enrolment import enrolment_code_issue

    return enrolment_code_issue(user=user, issued_by=issued_by)

"""The one-time-code step counts toward the same lockout as passwords (issue 19, finding 2).

A wrong security code or enrolment code is a failed sign-in for django-axes, per account and
per address (``AXES_LOCKOUT_PARAMETERS``), with an audit row; at the limit the session ends,
the page says so, and the lock lifts by itself after ``AXES_COOLOFF_TIME`` (no database edit).
django-otp's own per-device throttle is off (``OTP_TOTP_THROTTLE_FACTOR = 0``): it counted
failures from everywhere against the device, so an attacker could lock the real user out.
A correct password no longer wipes the count (``AXES_RESET_ON_SUCCESS = False``): only a
completed sign-in does, so signing in again cannot buy more guesses at the code.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from axes.utils import reset
from django.contrib.auth.signals import user_login_failed

from audit.services import audit_record


def _credentials(user) -> dict:
    return {"username": user.get_username()}


def is_locked(request, user) -> bool:
    return AxesProxyHandler.is_locked(request, credentials=_credentials(user))


def code_failed(request, user, what: str) -> bool:
    """Count a wrong ``what`` ("security code", "enrolment code"); True once locked out."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    audit_record(actor=user, action="user.sign_in_code_failed", target=user,
                 changes={"what": what})
    locked = is_locked(request, user)
    if locked:
        audit_record(actor=user, action="user.sign_in_locked_out", target=user,
                     changes={"what": what})
    return locked


def sign_in_completed(request, user) -> None:
    """The whole sign-in succeeded: forget this account's failures from this address."""
    reset(ip=get_client_ip_address(request), username=user.get_username())


def password_sign_in_completed(sender, request, user, **kwargs) -> None:
    """Connected to ``user_logged_in``: for staff with no second step, the password is all."""
    from accounts.security import two_factor_required

    if request is not None and not two_factor_required(user):
        sign_in_completed(request, user)

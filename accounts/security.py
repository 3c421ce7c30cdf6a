"""Sign-in hardening: two-factor sign-in for privileged roles, session lifetime, no-store.

- Heads of Department, Compliance and Administrators must confirm a TOTP code (django-otp)
  after their password; a code already used is refused (``TOTPDevice.last_t``). Setting up
  the authenticator needs an administrator-issued enrolment code (``accounts.enrolment``);
  wrong codes count toward the sign-in lockout (``accounts.lockout``).
- A session lasts at most ``SESSION_ABSOLUTE_SECONDS`` (12 hours) however active it is, on
  top of the 30-minute idle limit.
- Pages for signed-in staff are sent with ``Cache-Control: no-store``: they show personal
  data that must not stay in a shared browser's cache.
"""

import base64
import time

import segno
from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.constants import Role

TWO_FACTOR_ROLES = (Role.HEAD_OF_DEPARTMENT, Role.COMPLIANCE, Role.ADMINISTRATOR)
SIGNED_IN_AT = "signed_in_at"


def two_factor_required(user) -> bool:
    """Whether this user must confirm a one-time code to use the service."""
    return user.is_authenticated and (user.is_superuser or user.has_role(*TWO_FACTOR_ROLES))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The ``otpauth://`` URL as an SVG data URI (the CSP allows ``data:`` images)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def secret_for_manual_entry(device: TOTPDevice) -> str:
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


def mark_session_start(sender, request, user, **kwargs) -> None:
    """Connected to ``user_logged_in``: the absolute lifetime counts from sign-in."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = int(time.time())


class SessionSecurityMiddleware:
    """Absolute session lifetime, two-factor enforcement and no-store for signed-in pages."""

    EXEMPT_URL_NAMES = ("accounts:two_factor", "accounts:logout", "accounts:login",
                        "core:healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            started = request.session.setdefault(SIGNED_IN_AT, int(time.time()))
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            if (two_factor_required(user) and not user.is_verified()
                    and not self._exempt(request)):
                return redirect(reverse("accounts:two_factor"))
        response = self.get_response(request)
        if user.is_authenticated:
            add_never_cache_headers(response)  # Cache-Control: no-store, private ...
        return response

    def _exempt(self, request) -> bool:
        path = request.path_info
        if path.startswith(settings.STATIC_URL) or path.startswith("/assets/"):
            return True
        return any(path == reverse(name) for name in self.EXEMPT_URL_NAMES)

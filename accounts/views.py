"""Sign in, two-factor confirmation and sign out (Django auth + django-otp)."""

import django_otp
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts import security
from accounts.forms import SignInForm, TwoFactorForm
from audit.services import audit_record


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Sign-out is a POST (Django 5); the session is flushed."""


@never_cache
@sensitive_post_parameters("token")
def two_factor(request: HttpRequest) -> HttpResponse:
    """Confirm a one-time code; on first use, set up the authenticator app first."""
    if not security.two_factor_required(request.user) or request.user.is_verified():
        return redirect("core:home")
    device = security.confirmed_device(request.user)
    setting_up = device is None
    if setting_up:
        device = security.totp_device_for_setup(request.user)
    form = TwoFactorForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        if setting_up:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit_record(actor=request.user, action="user.two_factor_set_up",
                         target=request.user)
        django_otp.login(request, device)
        return redirect(_safe_next(request))
    context = {"form": form, "setting_up": setting_up}
    if setting_up:
        context["qr_code"] = security.qr_code_data_uri(device)
        context["secret"] = security.secret_for_manual_entry(device)
    return render(request, "accounts/two_factor.html", context)


def _safe_next(request: HttpRequest) -> str:
    """The ``next`` page if it is on this site, else home (no open redirect)."""
    target = request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "core:home"

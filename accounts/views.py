"""Sign in, two-factor confirmation and sign out (Django auth + django-otp)."""

import django_otp
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts import security
from accounts.forms import SignInForm, TwoFactorForm
from accounts.sso import config as sso_config
from accounts.sso.views import provider_logout_url
from audit.services import audit_record


class SignInView(auth_views.LoginView):
    """The sign-in page: "Sign in with <organisation>" when single sign-on is configured, the
    local form while local accounts are enabled (issue 21)."""

    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    break_glass = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            sso_enabled=sso_config.sso_enabled(),
            organisation=settings.OIDC_ORGANISATION_NAME,
            local_form=self.break_glass or sso_config.local_accounts_enabled(),
            break_glass=self.break_glass,
        )
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        if not sso_config.local_accounts_enabled():
            # Only LOCAL_BREAK_GLASS_USERNAMES get this far (accounts.sso.backend.LocalSignInGate).
            audit_record(actor=form.get_user(), action="user.break_glass_sign_in",
                         target=form.get_user())
        return response


class SignOutView(auth_views.LogoutView):
    """Sign-out is a POST (Django 5); the session is flushed, then, after a provider
    sign-in, the browser goes to the provider's end-session endpoint (RP-initiated logout)."""

    def post(self, request, *args, **kwargs):
        provider_logout = provider_logout_url(request)  # read before the session goes
        response = super().post(request, *args, **kwargs)
        return redirect(provider_logout) if provider_logout else response


@never_cache
@sensitive_post_parameters("token")
def two_factor(request: HttpRequest) -> HttpResponse:
    """Confirm a one-time code; on first use, set up the authenticator app first."""
    if not security.two_factor_required(request.user) or security.second_factor_done(request):
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

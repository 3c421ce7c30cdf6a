"""Sign in, two-factor confirmation and sign out (Django auth + django-otp)."""

import django_otp
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import enrolment, lockout, security
from accounts.forms import EnrolmentCodeForm, SignInForm, TwoFactorForm
from accounts.models import User


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Sign-out is a POST (Django 5); the session is flushed."""


ENROLLING = "two_factor_enrolling_device"


@never_cache
@sensitive_post_parameters("token", "code")
def two_factor(request: HttpRequest) -> HttpResponse:
    """Confirm a one-time code. With no authenticator yet, first an enrolment code an
    administrator issued (accounts.enrolment), then the QR code, then the app's first code.
    Every wrong code counts toward the sign-in lockout (accounts.lockout)."""
    user = request.user
    if not security.two_factor_required(user) or user.is_verified():
        return redirect("core:home")
    if lockout.is_locked(request, user):
        return _locked_out(request)
    device = security.confirmed_device(user)
    setting_up = device is None
    if setting_up:
        device = TOTPDevice.objects.filter(user=user, confirmed=False,
                                           pk=request.session.get(ENROLLING, 0)).first()
        if device is None:
            return _enrolment_code(request)
    form = TwoFactorForm(request.POST or None, device=device)
    if request.method == "POST":
        if form.is_valid():
            if setting_up:
                enrolment.enrolment_confirm(user=user, device=device)
                request.session.pop(ENROLLING, None)
            lockout.sign_in_completed(request, user)
            django_otp.login(request, device)
            return redirect(_safe_next(request))
        if "token" in form.errors and lockout.code_failed(request, user, "security code"):
            return _locked_out(request)
    context = {"form": form, "setting_up": setting_up}
    if setting_up:
        context["qr_code"] = security.qr_code_data_uri(device)
        context["secret"] = security.secret_for_manual_entry(device)
    return render(request, "accounts/two_factor.html", context)


def _enrolment_code(request: HttpRequest) -> HttpResponse:
    """Step 1 of setting up an authenticator: the administrator-issued one-time code."""
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if enrolment.enrolment_code_redeem(user=request.user, code=form.cleaned_data["code"]):
            request.session[ENROLLING] = enrolment.device_for_enrolment(request.user).pk
            return redirect(request.get_full_path())
        if lockout.code_failed(request, request.user, "enrolment code"):
            return _locked_out(request)
        form.add_error("code", "That enrolment code is not right, has expired or has "
                               "already been used. Ask an administrator for a new one.")
    return render(request, "accounts/enrolment_code.html", {"form": form})


def _locked_out(request: HttpRequest) -> HttpResponse:
    """Too many wrong codes: the session ends; the lock lifts after the cool-off."""
    logout(request)
    return render(request, "accounts/locked_out.html", status=429)


@never_cache
def enrolment_list(request: HttpRequest) -> HttpResponse:
    """Administrators: staff who sign in with a security code, and their authenticators."""
    if not request.user.has_perm("accounts.issue_enrolment_code"):
        raise PermissionDenied
    staff = [u for u in User.objects.filter(is_active=True).prefetch_related("groups")
             .order_by("last_name", "first_name", "username")
             if security.two_factor_required(u)]
    enrolled = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    return render(request, "accounts/enrolment_list.html", {
        "staff": [(u, u.pk in enrolled) for u in staff]})


@never_cache
def enrolment_code_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Administrators issue a one-time enrolment code (first set-up, or a lost phone)."""
    if not request.user.has_perm("accounts.issue_enrolment_code"):
        raise PermissionDenied
    staff = get_object_or_404(User, pk=pk, is_active=True)
    code = error = None
    if request.method == "POST":
        try:
            code = enrolment.enrolment_code_issue(user=staff, issued_by=request.user)
        except PermissionDenied as refused:
            error = str(refused)
    return render(request, "accounts/enrolment_code_issue.html", {
        "staff": staff, "code": code, "error": error,
        "hours": enrolment.ENROLMENT_CODE_HOURS,
        "has_device": TOTPDevice.objects.filter(user=staff, confirmed=True).exists()})


def _safe_next(request: HttpRequest) -> str:
    """The ``next`` page if it is on this site, else home (no open redirect)."""
    target = request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "core:home"

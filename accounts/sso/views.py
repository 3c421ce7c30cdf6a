"""Sign-in through the identity provider: start, callback, refusal page, provider sign-out.

Thin adapters around mozilla-django-oidc's views: the library makes the state, nonce and
PKCE verifier and checks them on the way back; ``ProviderBackend`` verifies the ID token and
``provisioning.user_provision_from_claims`` decides who may sign in.
"""

import logging
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from mozilla_django_oidc import views as oidc_views
from requests import RequestException

from accounts.security import PROVIDER_SECOND_FACTOR
from accounts.sso import config
from accounts.sso.provisioning import SignInRefused

logger = logging.getLogger(__name__)
UNREACHABLE = SignInRefused("The identity provider could not be reached. Try again in a few "
                            "minutes.", reason="provider_unreachable", status=502)


def render_refusal(request: HttpRequest, refusal: SignInRefused) -> HttpResponse:
    logger.info("Provider sign-in refused: %s", refusal.reason)
    return render(request, "accounts/sign_in_refused.html",
                  {"message": refusal.message, "reason": refusal.reason},
                  status=refusal.status)


@method_decorator(login_not_required, name="dispatch")
class ProviderSignInStart(oidc_views.OIDCAuthenticationRequestView):
    """Redirect to the provider's authorization endpoint (state, nonce, PKCE S256)."""

    get_settings = staticmethod(config.setting)

    def __init__(self, *args, **kwargs):
        super(oidc_views.OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not config.sso_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = config.setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except (RequestException, ValueError, ImproperlyConfigured):
            return render_refusal(request, UNREACHABLE)
        self.OIDC_RP_CLIENT_ID = config.setting("OIDC_RP_CLIENT_ID")
        return super().get(request)

    def get_extra_params(self, request):
        acr_values = config.setting("OIDC_ACR_VALUES", "")
        return {"acr_values": acr_values} if acr_values else {}


@method_decorator(login_not_required, name="dispatch")
class ProviderCallback(oidc_views.OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code and the state."""

    get_settings = staticmethod(config.setting)

    def get(self, request):
        if not config.sso_enabled():
            raise Http404
        request.oidc_callback = True  # only this view lets ProviderBackend authenticate
        try:
            return super().get(request)
        except SignInRefused as refusal:
            return render_refusal(request, refusal)
        except SuspiciousOperation:
            # The state is not one this browser's session started: forged or replayed.
            return render_refusal(request, SignInRefused(
                "This sign-in was not started from this browser, or has already been used. "
                "Start again from the sign-in page.", reason="state_mismatch", status=400))

    def login_failure(self):
        error = self.request.GET.get("error")
        if error:
            return render_refusal(self.request, SignInRefused(
                "The identity provider did not sign you in. Start again from the sign-in "
                "page.", reason="provider_error", status=403))
        return render_refusal(self.request, SignInRefused(
            "This sign-in has expired or was not started from this browser. Start again from "
            "the sign-in page.", reason="no_sign_in_started", status=400))

    def login_success(self):
        response = super().login_success()
        # 2FA roles: the provider's amr/acr assertion stands in for the local code.
        self.request.session[PROVIDER_SECOND_FACTOR] = bool(
            getattr(self.request, "sso_strong_authentication", False))
        return response


def forget_second_factor(sender, request, user, **kwargs) -> None:
    """Connected to ``user_logged_in``: a new sign-in starts without the provider's assertion
    (the callback sets it again after its own sign-in)."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(PROVIDER_SECOND_FACTOR, None)


def provider_logout_url(request: HttpRequest) -> str:
    """The provider's end-session URL (RP-initiated logout), or "" when it has none."""
    id_token = request.session.get("oidc_id_token")
    if not id_token or not config.sso_enabled():
        return ""
    try:
        endpoint = config.setting("OIDC_OP_LOGOUT_ENDPOINT", "")
    except (RequestException, ValueError, ImproperlyConfigured):
        return ""
    if not endpoint:
        return ""
    query = urlencode({
        "id_token_hint": id_token,
        "client_id": config.setting("OIDC_RP_CLIENT_ID"),
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("accounts:login")),
    })
    return f"{endpoint}?{query}"

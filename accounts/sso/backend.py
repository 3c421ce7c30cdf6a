"""Authentication backends: local passwords (when allowed) and the identity provider.

``ProviderBackend`` is mozilla-django-oidc's backend with what it leaves to the project:
settings completed from discovery, the ID token's ``iss``, ``aud``, ``exp`` and ``iat``
checked (the library checks the signature and the nonce only), any bad token refused
cleanly rather than raised, the userinfo and ID token claims combined (the ID token wins,
and both must name the same subject), and provisioning by issuer and subject.
"""

import logging

import jwt
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from requests import RequestException

from accounts.sso import config
from accounts.sso.provisioning import SignInRefused, user_provision_from_claims

logger = logging.getLogger(__name__)
CLOCK_LEEWAY_SECONDS = 60
# The ID token's own claims, never taken from userinfo.
UNTRUSTED = ("The identity provider's answer could not be trusted, so you have not been "
             "signed in. Start again from the sign-in page.")
ID_TOKEN_ONLY = ("iss", "aud", "exp", "iat", "nonce", "amr", "acr", "auth_time", "azp")


class LocalSignInGate:
    """Username and password: everyone while local accounts are on, else break-glass only.

    Listed before Django's ``ModelBackend`` (which checks the password): raising
    ``PermissionDenied`` stops ``authenticate()`` there, for the sign-in page and the admin's
    login alike, and counts as a failed sign-in for django-axes. A plain class, not a
    ``BaseBackend``: with no ``get_user`` it answers no permissions and is never the backend
    a session is restored with.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if (username is not None and password is not None
                and not config.may_sign_in_locally(username)):
            raise PermissionDenied("Local sign-in is not enabled for this account.")
        return None


class ProviderBackend(OIDCAuthenticationBackend):
    """Sign-in through the organisation's OpenID Connect provider (code flow with PKCE)."""

    def __init__(self, *args, **kwargs):
        # Built for every authenticate() and get_user(): read settings only when needed.
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()

    @staticmethod
    def get_settings(attr, *args):
        return config.setting(attr, *args)

    def _load_settings(self) -> None:
        self.OIDC_OP_TOKEN_ENDPOINT = self.get_settings("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = self.get_settings("OIDC_OP_USER_ENDPOINT", "")
        self.OIDC_OP_JWKS_ENDPOINT = self.get_settings("OIDC_OP_JWKS_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        self.OIDC_RP_CLIENT_SECRET = self.get_settings("OIDC_RP_CLIENT_SECRET")
        self.OIDC_RP_SIGN_ALGO = self.get_settings("OIDC_RP_SIGN_ALGO", "RS256")
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        """Only the callback view signs in this way; a password sign-in passes by."""
        if not getattr(request, "oidc_callback", False) or not config.sso_enabled():
            return None
        try:
            self._load_settings()
            return super().authenticate(request, **kwargs)
        except SuspiciousOperation as exc:
            logger.warning("Provider sign-in refused: %s", exc)
            raise SignInRefused(UNTRUSTED, reason="untrusted_token", status=400) from exc
        except (RequestException, ImproperlyConfigured) as exc:
            logger.warning("Provider sign-in failed: %s", type(exc).__name__)
            raise SignInRefused(
                "The identity provider could not be reached or refused the sign-in. "
                "Try again in a few minutes.", reason="provider_error", status=502) from exc

    def _verify_jws(self, payload, key):
        """Signature, algorithm, issuer, audience and lifetime of the ID token."""
        try:
            header = jwt.get_unverified_header(payload)
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation("ID token header unreadable.") from exc
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("ID token signed with an unexpected algorithm.")
        try:
            return jwt.decode(
                payload, key, algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID, issuer=config.setting("OIDC_ISSUER"),
                leeway=CLOCK_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise SuspiciousOperation("ID token expired.") from exc
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"ID token refused: {type(exc).__name__}.") from exc

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def get_userinfo(self, access_token, id_token, payload):
        """Userinfo claims, overlaid with the (signed) ID token's, for one subject."""
        claims = {}
        if self.OIDC_OP_USER_ENDPOINT:
            claims = super().get_userinfo(access_token, id_token, payload)
            if str(claims.get("sub")) != str(payload.get("sub")):
                raise SuspiciousOperation("Userinfo names another subject than the ID token.")
            for name in ID_TOKEN_ONLY:
                claims.pop(name, None)
        claims.update(payload)
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        # The library would swallow a SuspiciousOperation raised here and return no user.
        try:
            claims = self.get_userinfo(access_token, id_token, payload)
            if not self.verify_claims(claims):
                raise SuspiciousOperation("ID token has no subject.")
        except SuspiciousOperation as exc:
            logger.warning("Provider sign-in refused: %s", exc)
            raise SignInRefused(UNTRUSTED, reason="untrusted_token", status=400) from exc
        signed_in = user_provision_from_claims(issuer=config.setting("OIDC_ISSUER"),
                                               claims=claims)
        self.request.sso_strong_authentication = signed_in.strong_authentication
        return signed_in.user

    # Permissions are answered by Django's ModelBackend (model permissions) and rules.
    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False

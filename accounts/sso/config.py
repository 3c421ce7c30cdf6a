"""Single sign-on settings: the environment's values, completed by the issuer's discovery.

Every value comes from ``settings`` (which reads the environment). When ``OIDC_ISSUER`` is set
and an endpoint is not, the endpoint is read from the issuer's
``/.well-known/openid-configuration`` the first time it is needed and kept for an hour.
"""

import threading
import time

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from accounts.constants import Role

DISCOVERY_TTL_SECONDS = 3600
# Our setting name -> the discovery document's key.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}

_lock = threading.Lock()
_discovered: dict[str, tuple[float, dict]] = {}


def sso_enabled() -> bool:
    """Whether sign-in through the organisation's identity provider is configured."""
    return bool(settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID)


def local_accounts_enabled() -> bool:
    """Whether the username-and-password form is offered to everyone."""
    return settings.LOCAL_ACCOUNTS_ENABLED or not sso_enabled()


def may_sign_in_locally(username: str) -> bool:
    """Local sign-in is for everyone while local accounts are on, else break-glass only."""
    return local_accounts_enabled() or username in settings.LOCAL_BREAK_GLASS_USERNAMES


def discovery() -> dict:
    """The issuer's discovery document (cached per process); its ``issuer`` must match."""
    issuer = settings.OIDC_ISSUER
    now = time.monotonic()
    with _lock:
        cached = _discovered.get(issuer)
        if cached and now - cached[0] < DISCOVERY_TTL_SECONDS:
            return cached[1]
    response = requests.get(
        f"{issuer}/.well-known/openid-configuration",
        timeout=settings.OIDC_TIMEOUT, verify=settings.OIDC_VERIFY_SSL,
    )
    response.raise_for_status()
    document = response.json()
    if document.get("issuer", "").rstrip("/") != issuer:
        raise ImproperlyConfigured("The provider's discovery document names another issuer.")
    with _lock:
        _discovered[issuer] = (now, document)
    return document


def forget_discovery() -> None:
    """Drop cached discovery documents (tests; a provider that moved its endpoints)."""
    with _lock:
        _discovered.clear()


def setting(name: str, *default):
    """A mozilla-django-oidc setting, with endpoints completed from discovery."""
    value = getattr(settings, name, None)
    if name in ENDPOINTS and not value and settings.OIDC_ISSUER:
        value = discovery().get(ENDPOINTS[name], "")
    if value in (None, "") and default:
        return default[0]
    if value is None:
        raise ImproperlyConfigured(f"Setting {name} is not set.")
    return value


def role_groups() -> dict[str, frozenset[str]]:
    """``OIDC_ROLE_GROUPS`` checked: each key a role of ours, each value provider groups."""
    mapping = settings.OIDC_ROLE_GROUPS or {}
    result = {}
    for role, groups in mapping.items():
        if role not in Role.values:
            raise ImproperlyConfigured(
                f"OIDC_ROLE_GROUPS names {role!r}, which is not a role here "
                f"(one of: {', '.join(Role.values)})."
            )
        if isinstance(groups, str):
            groups = [groups]
        result[role] = frozenset(str(g) for g in groups)
    return result

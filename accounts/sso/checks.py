"""System checks: a single sign-on configuration that cannot work stops ``manage.py check``."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from accounts.sso import config


@checks.register(checks.Tags.security)
def check_sso_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if not settings.OIDC_ISSUER:
        return []
    errors = []
    if not settings.OIDC_RP_CLIENT_ID or not settings.OIDC_RP_CLIENT_SECRET:
        errors.append(checks.Error("OIDC_ISSUER is set but OIDC_CLIENT_ID or "
                                   "OIDC_CLIENT_SECRET is not.", id="accounts.E101"))
    try:
        mapping = config.role_groups()
    except ImproperlyConfigured as exc:
        errors.append(checks.Error(str(exc), id="accounts.E102"))
    else:
        if not mapping:
            errors.append(checks.Error(
                "OIDC_ROLE_GROUPS is empty: nobody could sign in through the provider.",
                id="accounts.E103"))
    if not settings.OIDC_ISSUER.startswith("https://") and not settings.DEBUG:
        errors.append(checks.Warning("OIDC_ISSUER is not an https:// address.",
                                     id="accounts.W101"))
    return errors

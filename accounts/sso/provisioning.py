"""Staff accounts from the identity provider's claims (issue 21): create, update, roles.

``user_provision_from_claims`` is the one service a provider sign-in calls. It finds the user
by issuer and subject (never by email), creates them on first sign-in, brings name, email,
department, line manager and roles into line with the claims at every sign-in, and audits
each change. Refusals (disabled here, no mapped group) raise ``SignInRefused`` and are
audited too.
"""

import hashlib
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.constants import Role
from accounts.models import Department, ExternalIdentity, User
from accounts.sso import config
from audit.services import audit_record, changed_fields

# Ids, not the related rows: comparing them loads nothing.
PROFILE_FIELDS = ["first_name", "last_name", "email", "department_id", "line_manager_id"]


class SignInRefused(Exception):  # noqa: N818 - a refusal, not a programming error
    """A provider sign-in that must not go ahead; ``message`` is shown to the person."""

    def __init__(self, message: str, *, reason: str, status: int = 403):
        super().__init__(message)
        self.message = message
        self.reason = reason  # a short code for the audit row and the logs
        self.status = status


@dataclass(frozen=True)
class ProvisionedSignIn:
    user: User
    strong_authentication: bool  # the provider asserted a second factor (amr/acr)


def roles_from_claims(claims: dict) -> tuple[set[str], set[str]]:
    """(roles the claims' groups grant, roles the mapping manages) under ``OIDC_ROLE_GROUPS``."""
    groups_claim = config_setting("OIDC_GROUPS_CLAIM")
    value = claims.get(groups_claim) or []
    groups = {value} if isinstance(value, str) else {str(g) for g in value}
    mapping = config.role_groups()
    granted = {role for role, mapped in mapping.items() if groups & mapped}
    return granted, set(mapping)


def strong_authentication(claims: dict) -> bool:
    """Whether the ID token asserts a second factor: an ``amr`` or ``acr`` value we accept."""
    amr = claims.get("amr") or []
    amr = {amr} if isinstance(amr, str) else {str(v) for v in amr}
    strong_amr = set(config_setting("OIDC_STRONG_AMR"))
    strong_acr = set(config_setting("OIDC_STRONG_ACR"))
    return bool(amr & strong_amr) or (bool(strong_acr) and str(claims.get("acr", "")) in
                                      strong_acr)


def user_provision_from_claims(*, issuer: str, claims: dict) -> ProvisionedSignIn:
    """Create or update the member of staff the verified ``claims`` describe, or refuse."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SignInRefused("The identity provider did not say who you are.",
                            reason="no_subject", status=400)
    groups_claim = config_setting("OIDC_GROUPS_CLAIM")
    if groups_claim not in claims and groups_claim in (claims.get("_claim_names") or {}):
        # Entra ID "group overage": too many groups to fit in the token.
        _refuse(None, issuer, subject, "group_overage")
        raise SignInRefused(
            "You are in too many groups at the identity provider for them to be sent here. "
            "Ask your administrator to assign only this service's groups to the application.",
            reason="group_overage")
    granted, managed = roles_from_claims(claims)
    identity = _find_identity(issuer, subject)
    existing = identity.user if identity else None
    if existing is not None and not existing.is_active:
        _refuse(existing, issuer, subject, "disabled")
        raise SignInRefused("Your account for this service has been disabled. "
                            "Ask your administrator if you think this is wrong.",
                            reason="disabled")
    if not granted:
        if existing is not None:
            # A role removed at the provider is removed here, even when it was the last one.
            with transaction.atomic():
                _apply_roles(existing, granted=set(), managed=managed, issuer=issuer)
        _refuse(existing, issuer, subject, "no_mapped_group")
        raise SignInRefused(
            "You do not have a role in this service. Your organisation gives access through "
            "its groups: ask your line manager or the service's administrator to add you "
            "to the right one.", reason="no_mapped_group")
    with transaction.atomic():
        if identity is None:
            identity = _identity_create(issuer=issuer, subject=subject, claims=claims)
        user = User.objects.select_for_update().get(pk=identity.user_id)
        _apply_profile(user, claims, issuer=issuer)
        _apply_roles(user, granted=granted, managed=managed, issuer=issuer)
        identity.last_sign_in_at = timezone.now()
        identity.save(update_fields=["last_sign_in_at"])
    return ProvisionedSignIn(user=user, strong_authentication=strong_authentication(claims))


def _find_identity(issuer: str, subject: str) -> ExternalIdentity | None:
    return (ExternalIdentity.objects.select_related("user")
            .filter(issuer=issuer, subject=subject).first())


def config_setting(name: str):
    return config.setting(name, None)


def _identity_create(*, issuer: str, subject: str, claims: dict) -> ExternalIdentity:
    """A new user and their identity; if a second first sign-in (another tab) made them a
    moment ago, theirs."""
    try:
        with transaction.atomic():
            user = User(username=_free_username(claims, issuer, subject))
            user.set_unusable_password()  # signs in through the provider only
            user.save()
            identity = ExternalIdentity.objects.create(user=user, issuer=issuer,
                                                       subject=subject)
            audit_record(actor=None, action="user.provisioned", target=user,
                         changes={"source": "identity provider", "issuer": issuer,
                                  "username": user.username})
            return identity
    except IntegrityError:
        identity = _find_identity(issuer, subject)
        if identity is None:
            raise
        return identity


def _free_username(claims: dict, issuer: str, subject: str) -> str:
    """The provider's username if no one here has it, else that plus a stable suffix."""
    wanted = str(claims.get("preferred_username") or claims.get("email") or "staff")[:120]
    if not User.objects.filter(username__iexact=wanted).exists():
        return wanted
    suffix = hashlib.sha256(f"{issuer} {subject}".encode()).hexdigest()[:10]
    return f"{wanted[:128]}-{suffix}"


def _apply_profile(user: User, claims: dict, *, issuer: str) -> None:
    before = {name: getattr(user, name) for name in PROFILE_FIELDS}
    user.first_name = str(claims.get("given_name") or user.first_name)[:150]
    user.last_name = str(claims.get("family_name") or user.last_name)[:150]
    if not claims.get("given_name") and not claims.get("family_name") and claims.get("name"):
        first, _, last = str(claims["name"]).partition(" ")
        user.first_name, user.last_name = first[:150], last[:150]
    if claims.get("email"):
        user.email = str(claims["email"])[:254]
    department_claim = config_setting("OIDC_DEPARTMENT_CLAIM")
    if department_claim and claims.get(department_claim):
        department = (Department.objects.filter(name=str(claims[department_claim]))
                      .values_list("pk", flat=True).first())
        if department is not None:  # else it stays as an administrator set it
            user.department_id = department
    manager_claim = config_setting("OIDC_LINE_MANAGER_CLAIM")
    if manager_claim and claims.get(manager_claim):
        manager = (ExternalIdentity.objects
                   .filter(issuer=issuer, subject=str(claims[manager_claim]))
                   .exclude(user=user).values_list("user_id", flat=True).first())
        if manager is not None:
            user.line_manager_id = manager
    changes = changed_fields(user, before, PROFILE_FIELDS)
    if changes:
        user.save(update_fields=list(changes))
        audit_record(actor=None, action="user.updated_from_provider", target=user,
                     changes=changes)


def _apply_roles(user: User, *, granted: set[str], managed: set[str], issuer: str) -> None:
    """Roles the mapping manages follow the groups; other roles stay as an administrator set
    them. An Administrator may use the Django admin (``is_staff``); superuser never comes
    from the provider."""
    current = set(user.groups.filter(name__in=managed).values_list("name", flat=True))
    added, removed = granted - current, current - granted
    for role in sorted(added):
        group, _ = Group.objects.get_or_create(name=role)
        user.groups.add(group)
    if removed:
        user.groups.remove(*Group.objects.filter(name__in=removed))
    if Role.ADMINISTRATOR in managed:
        is_staff = Role.ADMINISTRATOR in granted
        if user.is_staff != is_staff:
            user.is_staff = is_staff
            user.save(update_fields=["is_staff"])
    if added or removed:
        user._role_names = None
        audit_record(actor=None, action="user.roles_from_provider", target=user,
                     changes={"added": sorted(added), "removed": sorted(removed),
                              "issuer": issuer})


def _refuse(user: User | None, issuer: str, subject: str, reason: str) -> None:
    audit_record(actor=None, action="user.sign_in_refused", target=user,
                 changes={"reason": reason, "issuer": issuer, "subject": subject})

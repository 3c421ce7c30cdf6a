"""Claims the test provider issues: profile, email, groups, department, manager, amr."""

import time

from oauth2_provider.oauth2_validators import OAuth2Validator

# Provider-side groups with these prefixes become claims instead of groups.
DEPARTMENT_PREFIX = "dept:"
MANAGER_PREFIX = "manager:"
MFA_GROUP = "_mfa"  # the user signed in with a second factor: amr ["pwd", "mfa"]
EXPIRED_GROUP = "_expired_id_token"  # the ID token is issued already expired


class GroupsAsClaimsValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "groups": "profile",
        "department": "profile",
        "manager_sub": "profile",
        "amr": "openid",
    }

    def get_additional_claims(self, request):
        from django.contrib.auth import get_user_model

        user = request.user
        names = set(user.groups.values_list("name", flat=True))
        claims = {
            "given_name": user.first_name,
            "family_name": user.last_name,
            "name": f"{user.first_name} {user.last_name}".strip(),
            "email": user.email,
            "preferred_username": user.username,
            "groups": sorted(n for n in names
                             if not n.startswith(("_", DEPARTMENT_PREFIX, MANAGER_PREFIX))),
            "amr": ["pwd", "mfa"] if MFA_GROUP in names else ["pwd"],
        }
        for name in names:
            if name.startswith(DEPARTMENT_PREFIX):
                claims["department"] = name.removeprefix(DEPARTMENT_PREFIX)
            if name.startswith(MANAGER_PREFIX):
                manager = get_user_model().objects.filter(
                    username=name.removeprefix(MANAGER_PREFIX)).first()
                if manager is not None:
                    claims["manager_sub"] = str(manager.pk)
        return claims

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        if request.user.groups.filter(name=EXPIRED_GROUP).exists():
            claims["exp"] = int(time.time()) - 3600
        return claims, expiration_time

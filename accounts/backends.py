"""Model permissions for the Django admin, and only for what administrators manage.

Django's ``ModelBackend`` (and ``PermissionsMixin.has_perm``) give a superuser every
permission, so the demo ``admin`` could open every at-risk report, grounds page, subject
access export and contact. Here a superuser's model permissions cover only
``settings.ADMINISTERED_MODELS`` (users, departments, groups, the duty rota), and a
permission declared in a ``rules.py`` is answered by those rules alone, for everyone.
Administrators see customer records only if they also hold a role that does.
"""

import rules
from django.conf import settings
from django.contrib.auth.backends import ModelBackend


def _model_of(perm: str) -> str | None:
    """``"accounts.change_user"`` -> ``"accounts.user"``; None if it is not model-shaped."""
    app_label, _, codename = perm.partition(".")
    action, _, model = codename.partition("_")
    if not (app_label and model) or action not in ("add", "change", "delete", "view"):
        return None
    return f"{app_label}.{model}"


class AdministrationBackend(ModelBackend):
    """``ModelBackend`` limited to the administered models; never a rules permission."""

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        if rules.perm_exists(perm):
            return False  # the rules backend alone decides a declared permission
        if _model_of(perm) not in settings.ADMINISTERED_MODELS:
            return False
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label) -> bool:
        labels = {name.partition(".")[0] for name in settings.ADMINISTERED_MODELS}
        return app_label in labels and super().has_module_perms(user_obj, app_label)

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        return {perm for perm in super().get_all_permissions(user_obj, obj)
                if _model_of(perm) in settings.ADMINISTERED_MODELS
                and not rules.perm_exists(perm)}

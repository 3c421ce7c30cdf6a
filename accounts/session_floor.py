"""The fixed cost of a signed-in request (issue 23): no session write and no group query on
most requests.

- ``RenewIdleSessionMiddleware``: the session's idle expiry (``SESSION_COOKIE_AGE``, 30
  minutes) is renewed by a save at most once every ``SESSION_RENEW_SECONDS`` (60), not on
  every request (``SESSION_SAVE_EVERY_REQUEST`` is off). A session therefore ends between 29
  and 30 idle minutes after its last request: never later than the documented limit.
- ``SessionRoleNamesMiddleware``: the user's role (group) names are kept in the session with
  the user's ``roles_version``; the user row is read on every request anyway, so a changed
  version costs nothing to notice. Any change of a user's groups (admin, single sign-on
  provisioning, demo data, ``user.groups.add`` anywhere) bumps the version through the
  ``m2m_changed`` signal below, as do renaming or deleting a group.
"""

import time

from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import F
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import receiver

RENEWED_AT = "_renewed_at"
ROLES = "_roles"


class RenewIdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session that exists (a signed-in user's); an empty one is not created here.
        if session is not None and session.session_key and not session.is_empty():
            now = int(time.time())
            if session.modified or now - session.get(RENEWED_AT, 0) >= \
                    settings.SESSION_RENEW_SECONDS:
                session[RENEWED_AT] = now  # modified: SessionMiddleware saves, expiry renewed
        return response


class SessionRoleNamesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(user, "roles_version"):
            kept = request.session.get(ROLES)
            if kept and kept[0] == user.roles_version:
                user._role_names = frozenset(kept[1])
            else:
                user._role_names = None
                request.session[ROLES] = [user.roles_version, sorted(user.role_names)]
        return self.get_response(request)


def bump_roles_version(user_ids) -> None:
    from accounts.models import User

    User.objects.filter(pk__in=list(user_ids)).update(roles_version=F("roles_version") + 1)


@receiver(m2m_changed, dispatch_uid="accounts.roles_changed")
def _groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    from accounts.models import User

    if sender is not User.groups.through or action not in (
            "post_add", "post_remove", "pre_clear", "post_clear"):
        return
    if not reverse:  # user.groups.add(...): instance is the user
        if action == "pre_clear":
            return
        bump_roles_version([instance.pk])
        instance.roles_version = (User.objects.filter(pk=instance.pk)
                                  .values_list("roles_version", flat=True).first() or 0)
        instance._role_names = None
    elif action == "pre_clear":  # group.user_set.clear(): the members before they go
        bump_roles_version(instance.user_set.values_list("pk", flat=True))
    elif pk_set:
        bump_roles_version(pk_set)


@receiver(post_save, sender=Group, dispatch_uid="accounts.role_renamed")
def _group_saved(sender, instance, created, **kwargs):
    if not created:
        bump_roles_version(instance.user_set.values_list("pk", flat=True))


@receiver(pre_delete, sender=Group, dispatch_uid="accounts.role_deleted")
def _group_deleted(sender, instance, **kwargs):
    bump_roles_version(instance.user_set.values_list("pk", flat=True))

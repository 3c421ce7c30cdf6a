"""The one actor check every service makes before it changes anything.

A service calls ``require(actor, "app.perm", obj, "plain-English refusal")`` with the same
permission (``<app>/rules.py``) the screens use, so a page, the API, the admin, a task or a
shell reaches the same answer. A refusal is ``PermissionDenied`` with the message; views turn
it into a 403 page. A Django superuser is not exempt (``accounts.models.User.has_perm``).
"""

from django.core.exceptions import PermissionDenied


def require(actor, perm: str, obj=None, message: str = "You cannot do this.") -> None:
    """Refuse unless ``actor`` is an active, signed-in user holding ``perm`` for ``obj``."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(message)
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(message)

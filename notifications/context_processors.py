"""The unread count in the page header: kept in the shared cache (notifications.unread), an
indexed COUNT only when it changed; only for signed-in users."""

from notifications.unread import unread_count


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # A lazy callable: pages that do not render the header pay nothing.
    return {
        "notifications_unread": lambda: unread_count(user),
    }

"""The unread count in the page header: one indexed COUNT, only for signed-in users."""

from notifications.models import InboxEntry


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # A lazy callable: pages that do not render the header pay nothing.
    return {
        "notifications_unread": lambda: InboxEntry.objects.filter(
            recipient=user, read_at__isnull=True).count(),
    }

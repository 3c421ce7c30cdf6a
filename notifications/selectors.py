"""Reads for the inbox and reminders pages: each is one query (plus the paginator's count)."""

from django.db.models import F, QuerySet

from notifications.models import DueItem, InboxEntry


def inbox_for(user) -> QuerySet[InboxEntry]:
    """The user's inbox: unread first, then newest first."""
    return InboxEntry.objects.filter(recipient=user).order_by(
        F("read_at").desc(nulls_first=True), "-created_at", "-id")


def open_reminders_for(user) -> QuerySet[DueItem]:
    """The user's reminders that are neither completed nor cancelled, soonest first."""
    return DueItem.objects.filter(
        recipient=user, completed_at__isnull=True, cancelled_at__isnull=True,
    ).order_by("due_at", "id")

"""Your notifications (inbox), mark as read, and your reminders. Each person sees only theirs."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from rules.contrib.views import permission_required

from core.ids import parse_id
from notifications import selectors, services
from notifications.models import InboxEntry
from notifications.subjects import subjects_for

PAGE_SIZE = 25


@require_GET
@permission_required("notifications.view_own_inbox", raise_exception=True)
def inbox(request: HttpRequest) -> HttpResponse:
    """Your notifications, unread first, each with a link to its record."""
    page = Paginator(selectors.inbox_for(request.user).select_related("due_item__recipient"),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    subjects = subjects_for(page.object_list, request.user)
    for entry in page.object_list:
        entry.subject = subjects.get(entry.pk, "")
    return render(request, "notifications/inbox_list.html", {"page": page})


@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of your notifications as read (someone else's is refused)."""
    entry = get_object_or_404(InboxEntry, pk=pk)
    if not request.user.has_perm("notifications.mark_read", entry):
        raise PermissionDenied
    services.inbox_entry_mark_read(entry=entry, user=request.user)
    return redirect(_back_to_inbox(request))


@require_POST
@permission_required("notifications.view_own_inbox", raise_exception=True)
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """Mark every one of your notifications as read."""
    count = services.inbox_mark_all_read(user=request.user)
    messages.success(request, f"{count} notification{'' if count == 1 else 's'} marked as read")
    return redirect("notifications:inbox")


@require_GET
@permission_required("notifications.view_own_inbox", raise_exception=True)
def reminders(request: HttpRequest) -> HttpResponse:
    """Your reminders: what is due when, and whether it has been sent or escalated."""
    page = Paginator(selectors.open_reminders_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "notifications/reminder_list.html",
                  {"page": page, "now": timezone.now()})


def _back_to_inbox(request: HttpRequest) -> str:
    """The inbox page the form was on (only a page number is carried, never a URL)."""
    page = parse_id(request.POST.get("page", ""))
    url = reverse("notifications:inbox")
    return f"{url}?page={page}" if page else url

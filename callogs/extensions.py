"""What this app adds to the contact screen through ``core.extensions`` (8.1, 14.2)."""

from collections.abc import Iterable

from django.urls import reverse

from callogs.constants import LogStatus
from callogs.models import TerminatedCallLog
from core.extensions import Action


def terminated_log_actions(request, contact) -> Iterable[Action]:
    """"Complete the terminated-call log" (8.1) and "Take over this contact" (14.2)."""
    user = request.user
    author_id = contact.ended_by_id or contact.staff_id  # 8.1: who terminated it
    if contact.terminated and not contact.is_live and author_id == user.pk:
        submitted = TerminatedCallLog.objects.filter(contact=contact).exclude(
            status=LogStatus.DRAFT).exists()
        if not submitted:
            yield Action(label="Complete the terminated-call log",
                         url=reverse("callogs:log_start", args=[contact.pk]), method="post")
    if contact.is_live and user.has_perm("callogs.take_over_contact", contact):
        yield Action(label="Take over this contact",
                     url=reverse("callogs:take_over", args=[contact.pk]), method="post")


def terminated_log_url(contact) -> str | None:
    """The draft log made when ``contact`` was terminated (8.1), to complete and give to the
    line manager (its page once given); None when the contact was not terminated."""
    if not contact.terminated:
        return None
    log = TerminatedCallLog.objects.filter(contact=contact).only("pk", "status").first()
    if log is None:
        return None
    if log.status == LogStatus.DRAFT:
        return reverse("callogs:log_edit", args=[log.pk])
    return reverse("callogs:log_detail", args=[log.pk])

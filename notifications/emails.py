"""The plain-English emails the sweep sends: one template per kind, or the generic one.

Templates live at ``templates/notifications/email/<kind>.txt`` (a reminder) and
``<kind>_escalated.txt`` (an overdue item sent up the chain), falling back to
``generic.txt`` and ``generic_escalated.txt``. The subject is the kind's label.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import select_template

from notifications import kinds
from notifications.models import DueItem


def build(*, item: DueItem, to_user, escalation: bool) -> EmailMessage:
    """The email telling ``to_user`` about ``item`` (or that it is overdue, if escalating)."""
    kind = kinds.get_or_fallback(item.kind)
    suffix = "_escalated" if escalation else ""
    template = select_template([
        f"notifications/email/{kind.name}{suffix}.txt",
        f"notifications/email/generic{suffix}.txt",
    ])
    body = template.render({
        "item": item,
        "kind": kind,
        "to_user": to_user,
        "link": f"{settings.NOTIFICATIONS_SITE_URL}{item.link}" if item.link else "",
        "inbox": f"{settings.NOTIFICATIONS_SITE_URL}/notifications/",
    })
    subject = f"Overdue: {kind.label}" if escalation else kind.label
    # The item id is opaque; it lets support match a message to its reminder.
    return EmailMessage(
        subject=subject, body=body, to=[to_user.email],
        headers={"X-Notification-Item": str(item.pk)},
    )

"""Retention rules for reminders and the inbox (privacy.registry).

Their text names customers ("Callback due: Ann Smith"), so they are deleted after a year;
a reminder still waiting to be delivered is never deleted.
"""

from django.db.models import Q

from privacy.registry import DELETE, STAFF, RetentionRule, register

LAWFUL_BASIS = "Public task (UK GDPR Art. 6(1)(e)): the procedure's clocks (7.3, 8.2, 11.2, 12)"


def _delivered_before(cutoff) -> Q:
    finished = (Q(completed_at__isnull=False) | Q(cancelled_at__isnull=False)
                | Q(sent_at__isnull=False))
    return Q(due_at__lt=cutoff) & finished


register(RetentionRule(
    model="notifications.DueItem", personal_fields=("message",), period="notifications",
    action=DELETE, anchor=_delivered_before, starts="it was due (once delivered or closed)",
    subjects=(STAFF,), source="written by the service",
    purpose="Remind staff when the procedure's clocks run out (7.3, 8.2, 11.2, 12)",
    lawful_basis=LAWFUL_BASIS, seen_by=("notifications.view_own_inbox",),
    kept={"recipient": "the member of staff reminded", "escalated_to": "the manager told",
          "kind": "a code", "key": "ids only", "link": "a path with ids only",
          "target_id": "the id of the record it is about"},
))
register(RetentionRule(
    model="notifications.InboxEntry", personal_fields=("text",), period="notifications",
    action=DELETE, anchor="created_at", starts="it arrived", subjects=(STAFF,),
    source="written by the service",
    purpose="Tell staff in the service what needs their attention",
    lawful_basis=LAWFUL_BASIS, seen_by=("notifications.view_own_inbox",),
    kept={"recipient": "the member of staff", "link": "a path with ids only"},
))

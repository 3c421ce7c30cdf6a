"""Due items and the inbox. The inbox entry belongs to ``caseworker``."""

from notifications import services as s
from tests.security.permission_matrix import ALL
from tests.security.service_matrix import Acts, Read, System

SERVICES = {
    "notifications.services.schedule": System("called by services after their own checks"),
    "notifications.services.cancel": System("called by services after their own checks"),
    "notifications.services.complete": System("called by services after their own checks"),
    "notifications.services.sweep": System("beat: delivers and escalates due items"),
    "notifications.services.due_unsent": Read("the sweep's query"),
    "notifications.services.overdue_unescalated": Read("the sweep's query"),
    "notifications.services.deliver_parameters": Read("the sweep's SQL parameters"),
    "notifications.services.inbox_entry_mark_read": Acts(
        frozenset({"caseworker"}), lambda w, a: s.inbox_entry_mark_read(
            entry=w.inbox_entry, user=a)),
    # each user's own inbox: there is no one else's to touch
    "notifications.services.inbox_mark_all_read": Acts(
        ALL, lambda w, a: s.inbox_mark_all_read(user=a)),
}

"""Who may see and change notifications: each person only their own inbox and reminders."""

import rules


@rules.predicate
def is_recipient(user, entry) -> bool:
    """The user is the person the inbox entry or due item is for."""
    return entry is not None and entry.recipient_id == user.pk


is_signed_in = rules.is_authenticated & rules.is_active

rules.add_perm("notifications.view_own_inbox", is_signed_in)
rules.add_perm("notifications.mark_read", is_signed_in & is_recipient)

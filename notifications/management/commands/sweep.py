"""Run the notifications sweep and the email drain once, here and now.

What beat's periodic tasks do every minute (``notifications.tasks``): deliver what is due to
the inbox, escalate what is overdue, then send the emails those deliveries owe. For an
operator whose broker is down, and for ``make load``, which runs no worker: it delivers what
the load test's approvals queued, so the bench database is left with nothing waiting.
"""

from django.core.management.base import BaseCommand

from notifications.services import send_pending_emails, sweep


class Command(BaseCommand):
    help = "Deliver due notifications, escalate overdue ones and send the emails owed, once."

    def handle(self, *args, **options) -> None:
        result = sweep()
        emails = send_pending_emails()
        self.stdout.write(f"Delivered {result.delivered}, escalated {result.escalated}, "
                          f"left to escalate {result.failed}; emails sent {emails.sent}, "
                          f"still owed {emails.failed}.")

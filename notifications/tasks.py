"""Thin Celery tasks around ``notifications.services``."""

from math import ceil

from celery import shared_task
from django.conf import settings
from django.db import transaction


@shared_task(name="notifications.sweep_due_items", ignore_result=True)
def sweep_due_items() -> None:
    """Deliver due items and escalate overdue ones (beat, every minute), then ask for emails."""
    from notifications.services import request_email_drain, sweep

    result = sweep()
    owed = result.delivered + result.escalated
    if owed:
        # Enough drains to share the work among worker processes, never more than asked.
        drains = min(settings.NOTIFICATIONS_EMAIL_DRAINS,
                     ceil(owed / settings.NOTIFICATIONS_EMAIL_BATCH_SIZE))
        transaction.on_commit(lambda: request_email_drain(drains=drains))


@shared_task(name="notifications.send_pending_emails", ignore_result=True)
def send_pending_emails() -> None:
    """Send the emails that inbox deliveries owe (after each sweep, and beat every minute)."""
    from notifications.services import send_pending_emails

    send_pending_emails()

"""Thin Celery tasks around ``notifications.services``."""

from celery import shared_task


@shared_task(name="notifications.sweep_due_items", ignore_result=True)
def sweep_due_items() -> None:
    """Deliver due items and escalate overdue ones (run by beat every minute)."""
    from notifications.services import sweep

    sweep()

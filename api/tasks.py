"""Thin Celery task around the webhook outbox."""

from celery import shared_task


@shared_task(name="api.deliver_webhooks", ignore_result=True)
def deliver_webhooks() -> None:
    """Post due webhook deliveries (after each event's commit, and beat as the safety net)."""
    from api.outbox import deliver_due

    deliver_due()

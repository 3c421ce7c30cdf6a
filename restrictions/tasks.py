"""Thin Celery tasks around ``restrictions.services``."""

from celery import shared_task


@shared_task(name="restrictions.expire_lapsed", ignore_result=True)
def expire_lapsed() -> None:
    """Expire restrictions past their end or review date; start near reviews (beat, hourly)."""
    from restrictions.services import restrictions_sweep

    restrictions_sweep()

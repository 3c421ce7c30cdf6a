"""Thin Celery tasks around ``core`` services."""

from celery import shared_task


@shared_task(name="core.forget_old_submission_keys", ignore_result=True)
def forget_old_submission_keys() -> None:
    from core.idempotency import forget_old_keys

    forget_old_keys()

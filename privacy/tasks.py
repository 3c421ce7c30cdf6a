"""Thin Celery tasks around ``privacy.services``."""

from celery import shared_task


@shared_task(name="privacy.generate_sar_export", ignore_result=True)
def generate_sar_export(sar_id: int) -> None:
    from privacy.services import sar_generate

    sar_generate(sar_id=sar_id)


@shared_task(name="privacy.restart_stalled_exports", ignore_result=True)
def restart_stalled_exports() -> None:
    from privacy.services import sar_restart_stalled

    sar_restart_stalled()


@shared_task(name="privacy.retention_dry_run", ignore_result=True)
def retention_dry_run() -> None:
    from privacy.services import retention_dry_run as run

    run()

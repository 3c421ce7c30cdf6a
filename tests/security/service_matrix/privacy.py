"""Subject access, challenges to records and retention (UK GDPR)."""

from django.utils import timezone

from privacy import services as s
from tests.security.permission_matrix import COMPLIANCE, MANAGERS
from tests.security.service_matrix import Acts, System

SERVICES = {
    "privacy.services.sar_create": Acts(COMPLIANCE, lambda w, a: s.sar_create(
        customer=w.customer, received_on=timezone.localdate(), recorded_by=a)),
    "privacy.services.sar_generate": System("Celery worker: builds the export by id"),
    "privacy.services.sar_restart_stalled": System("beat: restarts stalled exports"),
    "privacy.services.sar_retry": Acts(COMPLIANCE, lambda w, a: s.sar_retry(sar=w.sar, actor=a)),
    "privacy.services.sar_extend": Acts(COMPLIANCE, lambda w, a: s.sar_extend(
        sar=w.sar, actor=a, reason="Many records in storage")),
    "privacy.services.sar_downloaded": Acts(COMPLIANCE, lambda w, a: s.sar_downloaded(
        sar=w.ready_sar, actor=a)),
    "privacy.services.sar_mark_sent": Acts(COMPLIANCE, lambda w, a: s.sar_mark_sent(
        sar=w.ready_sar, actor=a, sent_on=timezone.localdate())),
    "privacy.services.challenge_record": Acts(
        MANAGERS | COMPLIANCE, lambda w, a: s.challenge_record(
        customer=w.customer, target=w.contact, statement="That is not what I said.",
        received_on=timezone.localdate(), recorded_by=a)),
    "privacy.services.challenge_decide": Acts(COMPLIANCE, lambda w, a: s.challenge_decide(
        challenge=w.challenge, actor=a, outcome="corrected", note="Summary corrected.")),
    "privacy.services.retention_dry_run": System("beat: weekly report; changes nothing"),
    "privacy.services.retention_apply": Acts(COMPLIANCE, lambda w, a: s.retention_apply(
        run=w.retention_run, actor=a)),
}

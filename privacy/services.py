"""Subject access requests, challenges to records, and retention runs."""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_record
from core.idempotency import idempotent
from core.permissions import require
from privacy import export, retention
from privacy.constants import ChallengeOutcome, SarStatus
from privacy.models import RecordChallenge, RetentionRun, SubjectAccessRequest

logger = logging.getLogger(__name__)


@idempotent("privacy.sar_create", actor="recorded_by")
def sar_create(*, customer, received_on: dt.date, recorded_by) -> SubjectAccessRequest:
    """Record a subject access request and start preparing the export."""
    require(recorded_by, "privacy.manage_subject_access", customer,
            "Only Compliance handles subject access requests.")
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "The date received cannot be in the future"})
    with transaction.atomic():
        sar = SubjectAccessRequest.objects.create(customer=customer, received_on=received_on,
                                                  recorded_by=recorded_by)
        audit_record(actor=recorded_by, action="subjectaccessrequest.created", target=sar)
        transaction.on_commit(lambda: _queue_generation(sar.pk))
    return sar


def _queue_generation(sar_id: int) -> None:
    from privacy.tasks import generate_sar_export

    try:
        generate_sar_export.delay(sar_id)
    except Exception:
        # The request is saved as "received"; the page offers "prepare again".
        logger.warning("could not queue subject access export sar_id=%s", sar_id)


def sar_generate(*, sar_id: int) -> SubjectAccessRequest:
    """Build the export (run by a Celery worker), updating progress as it goes."""
    sar = SubjectAccessRequest.objects.select_related("customer").get(pk=sar_id)
    if sar.status in (SarStatus.READY, SarStatus.SENT):
        return sar  # a restarted twin already finished it: idempotent
    SubjectAccessRequest.objects.filter(pk=sar_id).update(
        status=SarStatus.IN_PROGRESS, progress=5, heartbeat_at=timezone.now())

    def progress(percent: int) -> None:
        SubjectAccessRequest.objects.filter(pk=sar_id).update(
            progress=min(percent, 99), heartbeat_at=timezone.now())

    try:
        archive = export.build_zip(sar.customer, progress)
    except Exception:
        SubjectAccessRequest.objects.filter(pk=sar_id).update(status=SarStatus.FAILED)
        logger.exception("subject access export failed sar_id=%s", sar_id)
        raise
    with transaction.atomic():
        sar = SubjectAccessRequest.objects.select_for_update().get(pk=sar_id)
        if sar.status in (SarStatus.READY, SarStatus.SENT):
            return sar  # two runs overlapped; the first one's export stands
        sar.export, sar.status, sar.progress = archive, SarStatus.READY, 100
        sar.generated_at = timezone.now()
        sar.save(update_fields=["export", "status", "progress", "generated_at"])
        audit_record(actor=None, action="subjectaccessrequest.generated", target=sar)
    return sar


def sar_restart_stalled(*, now: dt.datetime | None = None) -> list[int]:
    """Restart exports whose worker went silent (killed, or its task lost), from PostgreSQL
    state alone (issue 19, finding 5): being prepared with no progress report for
    ``SAR_STALL_MINUTES``, or received that long ago and never started. Each is claimed by a
    conditional update, so two sweeps restart it once; run every few minutes by beat."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.SAR_STALL_MINUTES)
    stalled = (Q(status=SarStatus.IN_PROGRESS, heartbeat_at__lt=cutoff)
               | Q(status=SarStatus.IN_PROGRESS, heartbeat_at__isnull=True)
               | Q(status=SarStatus.RECEIVED, created_at__lt=cutoff,
                   heartbeat_at__isnull=True)
               | Q(status=SarStatus.RECEIVED, heartbeat_at__lt=cutoff))
    restarted = []
    for sar_id in SubjectAccessRequest.objects.filter(stalled).values_list("pk", flat=True):
        with transaction.atomic():
            claimed = SubjectAccessRequest.objects.filter(stalled, pk=sar_id).update(
                status=SarStatus.RECEIVED, heartbeat_at=now)
            if not claimed:
                continue  # another sweep took it
            audit_record(actor=None, action="subjectaccessrequest.restarted",
                         target=SubjectAccessRequest(pk=sar_id))
            transaction.on_commit(lambda pk=sar_id: _queue_generation(pk))
        restarted.append(sar_id)
        logger.warning("restarted a stalled subject access export sar_id=%s", sar_id)
    return restarted


def sar_retry(*, sar: SubjectAccessRequest, actor) -> None:
    """Queue the export again (after a failure or a broker outage)."""
    require(actor, "privacy.manage_subject_access", sar,
            "Only Compliance handles subject access requests.")
    if sar.status == SarStatus.SENT:
        raise ValidationError("This request has been sent; record a new request instead")
    with transaction.atomic():
        SubjectAccessRequest.objects.filter(pk=sar.pk).update(status=SarStatus.RECEIVED,
                                                              progress=0)
        audit_record(actor=actor, action="subjectaccessrequest.retried", target=sar)
        transaction.on_commit(lambda: _queue_generation(sar.pk))


def sar_extend(*, sar: SubjectAccessRequest, actor, reason: str) -> None:
    """Extend the deadline by two further months (Art. 12(3)); a reason is required."""
    require(actor, "privacy.manage_subject_access", sar,
            "Only Compliance handles subject access requests.")
    if not reason.strip():
        raise ValidationError({"extension_reason": "Enter why the request needs more time"})
    if sar.extended:
        raise ValidationError("This request has already been extended")
    with transaction.atomic():
        sar.extended, sar.extension_reason = True, reason.strip()
        sar.save(update_fields=["extended", "extension_reason"])
        audit_record(actor=actor, action="subjectaccessrequest.extended", target=sar)


def sar_downloaded(*, sar: SubjectAccessRequest, actor) -> bytes:
    """The export, recording who downloaded it."""
    require(actor, "privacy.manage_subject_access", sar,
            "Only Compliance handles subject access requests.")
    if sar.status not in (SarStatus.READY, SarStatus.SENT) or not sar.export:
        raise ValidationError("The export is not ready yet")
    audit_record(actor=actor, action="subjectaccessrequest.downloaded", target=sar)
    return bytes(sar.export)


def sar_mark_sent(*, sar: SubjectAccessRequest, actor, sent_on: dt.date) -> None:
    """The export was sent to the requester."""
    require(actor, "privacy.manage_subject_access", sar,
            "Only Compliance handles subject access requests.")
    if sar.status != SarStatus.READY:
        raise ValidationError("Only a prepared export can be marked as sent")
    with transaction.atomic():
        sar.status, sar.sent_on = SarStatus.SENT, sent_on
        sar.save(update_fields=["status", "sent_on"])
        audit_record(actor=actor, action="subjectaccessrequest.sent", target=sar)


@idempotent("privacy.challenge_record", actor="recorded_by")
def challenge_record(*, customer, target, statement: str, received_on: dt.date,
                     recorded_by) -> RecordChallenge:
    """Keep a customer's challenge to a record beside it (Art. 16)."""
    require(recorded_by, "privacy.record_challenge", customer,
            "Only a manager or Compliance can record a challenge to a record.")
    if not statement.strip():
        raise ValidationError({"statement": "Enter what the customer says is wrong"})
    with transaction.atomic():
        challenge = RecordChallenge.objects.create(
            customer=customer, target=target, statement=statement.strip(),
            received_on=received_on, recorded_by=recorded_by)
        audit_record(actor=recorded_by, action="recordchallenge.created", target=challenge)
    return challenge


def challenge_decide(*, challenge: RecordChallenge, actor, outcome: str,
                     note: str) -> RecordChallenge:
    """Decide a challenge once: a one-way move from pending, under a row lock (like
    restriction decisions), so two simultaneous decisions cannot both succeed and a later one
    cannot overwrite the outcome and its note."""
    require(actor, "privacy.decide_challenge", challenge,
            "Only Compliance decides a challenge to a record.")
    if outcome not in (ChallengeOutcome.CORRECTED, ChallengeOutcome.NOT_CORRECTED):
        raise ValidationError({"outcome": "Select what was decided"})
    with transaction.atomic():
        challenge = RecordChallenge.objects.select_for_update().get(pk=challenge.pk)
        if challenge.outcome != ChallengeOutcome.PENDING:
            raise ValidationError(
                f"This challenge has already been decided ({challenge.get_outcome_display()})"
                "; a decision is final.")
        challenge.outcome, challenge.outcome_note = outcome, note.strip()
        challenge.decided_by, challenge.decided_at = actor, timezone.now()
        challenge.save(update_fields=["outcome", "outcome_note", "decided_by", "decided_at"])
        audit_record(actor=actor, action="recordchallenge.decided", target=challenge,
                     changes={"outcome": outcome})
    return challenge


def retention_dry_run(*, now: dt.datetime | None = None) -> RetentionRun:
    """Report what has passed its retention period (scheduled weekly; changes nothing)."""
    now = now or timezone.now()
    with transaction.atomic():
        run = RetentionRun.objects.create(created_at=now, cutoff_report=retention.report(now))
        audit_record(actor=None, action="retentionrun.reported", target=run,
                     changes=run.cutoff_report)
    return run


def retention_apply(*, run: RetentionRun, actor) -> RetentionRun:
    """Anonymise what the dry run reported, judged at the dry run's own time (never wider)."""
    require(actor, "privacy.manage_retention", run, "Only Compliance applies a retention run.")
    with transaction.atomic():
        run = RetentionRun.objects.select_for_update().get(pk=run.pk)
        if run.applied_at is not None:
            raise ValidationError("This retention run has already been applied")
        run.applied_report = retention.apply(run.created_at)
        run.applied_at, run.applied_by = timezone.now(), actor
        run.save(update_fields=["applied_report", "applied_at", "applied_by"])
        audit_record(actor=actor, action="retentionrun.applied", target=run,
                     changes=run.applied_report)
    return run

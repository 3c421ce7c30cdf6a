"""Subject access requests, challenges to records, and retention runs."""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from core.idempotency import idempotent
from core.permissions import require
from privacy import export, sweep
from privacy.constants import ChallengeOutcome, Exemption, SarStatus
from privacy.models import (
    LegalHold,
    RecordChallenge,
    RetentionRun,
    SarWithholding,
    SubjectAccessRequest,
    stalled_export_condition,
)

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
    sar = (SubjectAccessRequest.objects.select_related("customer").defer("export")
           .prefetch_related("withholdings").get(pk=sar_id))
    if sar.status in (SarStatus.READY, SarStatus.SENT):
        return sar  # a restarted twin already finished it: idempotent
    SubjectAccessRequest.objects.filter(pk=sar_id).update(
        status=SarStatus.IN_PROGRESS, progress=5, heartbeat_at=timezone.now())

    def progress(percent: int) -> None:
        SubjectAccessRequest.objects.filter(pk=sar_id).update(
            progress=min(percent, 99), heartbeat_at=timezone.now())

    try:
        archive = export.build_zip(sar.customer, progress, sar=sar)
    except Exception:
        SubjectAccessRequest.objects.filter(pk=sar_id).update(status=SarStatus.FAILED)
        logger.exception("subject access export failed sar_id=%s", sar_id)
        raise
    built_with = {w.pk for w in sar.withholdings.all()}
    with transaction.atomic():
        sar = SubjectAccessRequest.objects.select_for_update().get(pk=sar_id)
        if sar.status in (SarStatus.READY, SarStatus.SENT):
            return sar  # two runs overlapped; the first one's export stands
        if set(sar.withholdings.values_list("pk", flat=True)) != built_with:
            # Something was withheld while this was built: this bundle would include it.
            # The withholding queued a new build; that one is kept, this one dropped.
            logger.info("subject access export superseded sar_id=%s", sar_id)
            return sar
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
    stalled = stalled_export_condition(now)
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
        run = RetentionRun.objects.create(created_at=now, cutoff_report=sweep.report(now))
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
        run.applied_report = sweep.apply(run.created_at)
        run.applied_at, run.applied_by = timezone.now(), actor
        run.save(update_fields=["applied_report", "applied_at", "applied_by"])
        audit_record(actor=actor, action="retentionrun.applied", target=run,
                     changes=run.applied_report)
    return run


def retention_run(*, now: dt.datetime | None = None, actor=None,
                  batch_size: int | None = None, progress=None) -> RetentionRun:
    """Anonymise or delete everything past its period now (the weekly beat task, and
    ``manage.py apply_retention``). Batches commit one by one (``privacy.sweep``): a run cut
    short is finished by the next, and two at once share the work."""
    now = now or timezone.now()
    with transaction.atomic():
        run = RetentionRun.objects.create(created_at=now, cutoff_report=sweep.report(now))
        audit_record(actor=actor, action="retentionrun.started", target=run,
                     changes=run.cutoff_report)
    applied = sweep.apply(now, batch_size=batch_size or settings.PRIVACY_RETENTION_BATCH_SIZE,
                          progress=progress)
    with transaction.atomic():
        run.applied_report, run.applied_at = applied, timezone.now()
        run.applied_by = actor if getattr(actor, "pk", None) else None
        run.save(update_fields=["applied_report", "applied_at", "applied_by"])
        audit_record(actor=actor, action="retentionrun.applied", target=run, changes=applied)
    logger.info("retention run %s changed %s records", run.pk, sum(applied.values()))
    return run


def legal_hold_place(*, customer, actor, reason: str) -> LegalHold:
    """Keep everything about ``customer`` back from retention until released (Compliance)."""
    require(actor, "privacy.manage_legal_hold", customer,
             "Only a compliance officer can place a legal hold")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the records must be kept"})
    with transaction.atomic():
        if LegalHold.objects.select_for_update().filter(customer=customer,
                                                        released_at__isnull=True).exists():
            raise ValidationError("A legal hold is already in force for this customer")
        hold = LegalHold.objects.create(customer=customer, reason=reason.strip(),
                                        placed_by=actor)
        audit_record(actor=actor, action="legalhold.placed", target=hold,
                     changes={"customer": customer.pk})
    return hold


def legal_hold_release(*, hold: LegalHold, actor, reason: str) -> LegalHold:
    """End a legal hold: the customer's records follow their retention periods again."""
    require(actor, "privacy.manage_legal_hold", hold.customer,
             "Only a compliance officer can release a legal hold")
    if not reason.strip():
        raise ValidationError({"release_reason": "Enter why the hold can end"})
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if hold.released_at is not None:
            raise ValidationError("This legal hold has already been released")
        hold.released_at, hold.released_by = timezone.now(), actor
        hold.release_reason = reason.strip()
        hold.save(update_fields=["released_at", "released_by", "release_reason"])
        audit_record(actor=actor, action="legalhold.released", target=hold,
                     changes={"customer": hold.customer_id})
    return hold


def sar_withhold(*, sar: SubjectAccessRequest, actor, part: str, exemption: str,
                 reason: str) -> SarWithholding:
    """Withhold part of the bundle under an exemption (DPA 2018 Sch. 2-3); the bundle says
    what was withheld and why, and is prepared again."""
    from privacy import registry

    require(actor, "privacy.manage_subject_access", sar,
             "Only a compliance officer can withhold part of a subject access bundle")
    errors = {}
    from privacy.export import ABOUT_PART

    label, _, record_id = part.partition(":")
    rule = registry.rule_for(label)
    if part == ABOUT_PART:
        pass  # the reminders, inbox messages and audit entries about the customer's records
    elif rule is None or not rule.in_bundle or (record_id and not record_id.isdigit()):
        errors["part"] = "Choose a part of the bundle"
    elif record_id and not rule.model_class.objects.filter(
            pk=int(record_id), **{rule.customer: sar.customer_id}).exists():
        errors["part"] = "That record is not about this customer"
    if exemption not in Exemption.values:
        errors["exemption"] = "Choose the exemption relied on"
    if not reason.strip():
        errors["reason"] = "Enter why this part is withheld"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        sar = SubjectAccessRequest.objects.select_for_update().defer("export").get(pk=sar.pk)
        if sar.status == SarStatus.SENT:
            raise ValidationError("This request has been sent; nothing more can be withheld")
        if sar.withholdings.filter(part=part).exists():
            raise ValidationError({"part": "That part is already withheld"})
        withholding = SarWithholding.objects.create(sar=sar, part=part, exemption=exemption,
                                                    reason=reason.strip(), recorded_by=actor)
        audit_record(actor=actor, action="subjectaccessrequest.withheld", target=sar,
                     changes={"part": part, "exemption": exemption})
        # The prepared bundle no longer matches: prepare it again.
        SubjectAccessRequest.objects.filter(pk=sar.pk).update(
            status=SarStatus.RECEIVED, progress=0, export=None)
        transaction.on_commit(lambda: _queue_generation(sar.pk))
    return withholding

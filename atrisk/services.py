"""Writes for paragraph 11: raise, acknowledge and assess at-risk reports; record disclosures.

Each function checks its rule, writes inside a transaction with an audit row, and schedules
its alerts as durable due items (``notifications.services.schedule``).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from accounts.models import User
from accounts.selectors import first_available_manager
from atrisk.constants import (
    DISCLOSURE_STATUSES,
    TRANSITIONS,
    Consent,
    EmergencyAdvice,
    RecipientType,
    ReportStatus,
    Source,
    ThreatType,
)
from atrisk.models import AtRiskReport, DutyRota, VitalInterestsDisclosure
from atrisk.selectors import (
    ALERT_KIND,
    DISCLOSURE_KIND,
    alert_items_for,
    senior_staff_group,
    seniors_on_duty,
)
from audit.services import audit_record
from core.idempotency import idempotent
from core.permissions import require
from notifications.models import DueItem
from notifications.services import complete, schedule

logger = logging.getLogger(__name__)


def _latest_allowed() -> datetime:
    """Typed times may run a little ahead of the server clock, not further."""
    return timezone.now() + timedelta(minutes=settings.ATRISK_CLOCK_TOLERANCE_MINUTES)


def _require(value, message: str, errors: dict, field: str) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.setdefault(field, []).append(message)


def _move(report: AtRiskReport, to: str) -> None:
    if to not in TRANSITIONS[report.status]:
        raise ValidationError(
            f"This report is {report.get_status_display().lower()}; it cannot be moved to "
            f"{ReportStatus(to).label.lower()}."
        )
    report.status = to


def alert_recipients(*, reporter: User, at: datetime) -> list[User]:
    """Who an at-risk alert goes to (11.2): the senior staff on duty; if none, the Senior
    staff group; if none, the reporter's first available manager. Never the reporter."""
    on_duty = [u for u in seniors_on_duty(at=at) if u.pk != reporter.pk]
    if on_duty:
        return on_duty
    group = list(senior_staff_group().exclude(pk=reporter.pk))
    if group:
        return group
    manager = first_available_manager(reporter)
    return [manager] if manager else []


@idempotent("atrisk.report_raise", actor="raised_by")
def report_raise(
    *,
    raised_by: User,
    source: str,
    threat_type: str,
    what_was_said: str,
    threat_made_at: datetime,
    emergency_advice: str,
    caller_name: str = "",
    caller_phone: str = "",
    caller_other_details: str = "",
    location_given: str = "",
    contact=None,
    customer=None,
    case_reference=None,
    case_note: str = "",
) -> AtRiskReport:
    """Record an at-risk report and alert senior staff at once (11.2, 11.3, 11.4)."""
    require(raised_by, "atrisk.raise_report", None,
            "Only customer-facing staff can raise an at-risk report.")
    if contact is not None and raised_by.pk not in (contact.staff_id, contact.taken_over_by_id):
        raise PermissionDenied("Only the member of staff handling this contact can raise an "
                               "at-risk report from it (11.2).")
    errors: dict[str, list[str]] = {}
    _require(what_was_said, "Enter what was said", errors, "what_was_said")
    if source not in Source.values:
        errors.setdefault("source", []).append("Select how the threat reached us")
    if threat_type not in ThreatType.values:
        errors.setdefault("threat_type", []).append("Select who is at risk")
    if emergency_advice not in EmergencyAdvice.values:
        errors.setdefault("emergency_advice", []).append(
            "Select whether the caller was advised to contact the emergency services"
        )
    if threat_made_at is None:
        errors.setdefault("threat_made_at", []).append("Enter when the threat was made")
    elif threat_made_at > _latest_allowed():
        errors.setdefault("threat_made_at", []).append(
            "The time of the threat must be now or in the past"
        )
    if contact is not None:
        customer = customer or contact.customer
        case_reference = case_reference or contact.case_reference
    if case_reference is not None:
        if customer is None:
            customer = case_reference.customer
        elif case_reference.customer_id != customer.pk:
            errors.setdefault("case_reference", []).append(
                "That case reference belongs to a different customer"
            )
        # 11.2: for an ongoing case, the details go in the note attached to the case file.
        if case_reference.is_open:
            _require(case_note, "Enter the note for the case file (11.2)", errors, "case_note")
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        report = AtRiskReport.objects.create(
            raised_by=raised_by, source=source, threat_type=threat_type,
            what_was_said=what_was_said.strip(), threat_made_at=threat_made_at,
            emergency_advice=emergency_advice, caller_name=caller_name.strip(),
            caller_phone=caller_phone.strip(), caller_other_details=caller_other_details.strip(),
            location_given=location_given.strip(), contact=contact, customer=customer,
            case_reference=case_reference, case_note=case_note.strip(),
        )
        recipients = alert_recipients(reporter=raised_by, at=report.raised_at)
        audit_record(
            actor=raised_by, action="atriskreport.raised", target=report,
            changes={"alerted": [u.pk for u in recipients], "case_reference":
                     case_reference.pk if case_reference else None},
        )
        link = reverse("atrisk:report_detail", args=[report.pk])
        for recipient in recipients:
            schedule(
                kind=ALERT_KIND, key=f"atrisk:{report.pk}:alert:{recipient.pk}",
                recipient=recipient, due_at=timezone.now(), target=report, link=link,
                message=f"At-risk report {report.pk} needs a senior member of staff now "
                        "(11.2). Open it and acknowledge it.",
            )
    if not recipients:
        logger.error("at-risk report %s raised with nobody to alert", report.pk)
    return report


def report_acknowledge(*, report: AtRiskReport, actor: User) -> AtRiskReport:
    """A senior member of staff takes the report on; the alerts stop (11.2, 11.5)."""
    if actor is not None and actor.pk == report.raised_by_id:
        raise PermissionDenied("Someone other than the reporter must acknowledge it.")
    require(actor, "atrisk.acknowledge_report", report,
            "Only senior staff, or a manager the alert reached, can take this report on (11.2).")
    with transaction.atomic():
        report = AtRiskReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.RAISED:
            raise ValidationError(
                f"This report was already acknowledged by {report.acknowledged_by} at "
                f"{timezone.localtime(report.acknowledged_at):%H:%M on %d %B %Y}."
            )
        _move(report, ReportStatus.ACKNOWLEDGED)
        report.acknowledged_by = actor
        report.acknowledged_at = timezone.now()
        report.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
        audit_record(actor=actor, action="atriskreport.acknowledged", target=report)
        for key in alert_items_for(report).values_list("key", flat=True):
            complete(key=key)
    return report


def report_note_file(*, report: AtRiskReport, actor) -> AtRiskReport:
    """11.2: "If the call relates to an ongoing case, include details of the threats in the
    telephone note attached to the case file": file the note with the case, and by whom, as
    8.1's log copy is placed in the case file (``calllog_place_in_case_file``). The stored
    PDF of the note is made as it is filed (``documents.services.atrisk_note_store``).

    The reporter or senior staff file it; the case-management system confirms it itself (an
    API client with the cases scope)."""
    from core import extensions
    from documents.services import atrisk_note_store

    if not extensions.system_actor_may(actor, "case_files"):
        require(actor, "atrisk.file_case_note", report,
                "Only the member of staff who made the report, or senior staff, can file its "
                "telephone note with the case (11.2).")
    with transaction.atomic():
        report = AtRiskReport.objects.select_for_update().get(pk=report.pk)
        if report.case_reference_id is None:
            raise ValidationError("This report is not about an ongoing case, so there is no "
                                  "case file for a telephone note (11.2).")
        if not report.case_note.strip():
            raise ValidationError("This report has no telephone note for the case file: the "
                                  "case was not ongoing when it was raised (11.2).")
        if report.case_note_filed_at is not None:
            raise ValidationError("The telephone note has already been filed with the case.")
        report.case_note_filed_at = timezone.now()
        report.case_note_filed_by = actor
        report.save(update_fields=["case_note_filed_at", "case_note_filed_by"])
        audit_record(actor=actor, action="atriskreport.case_note_filed", target=report,
                     changes={"case_reference": report.case_reference_id})
        atrisk_note_store(report=report, actor=actor)
    return report


def report_assess(
    *,
    report: AtRiskReport,
    actor: User,
    spoke_to_reporter: bool = False,
    spoke_to_reporter_at: datetime | None = None,
    agencies_contacted: bool | None,
    agencies: str = "",
    agencies_contacted_at: datetime | None = None,
    agencies_outcome: str = "",
    assessment_notes: str = "",
) -> AtRiskReport:
    """The senior assessment: whether other agencies are contacted, which, when, outcome (11.5).

    11.5: "On the basis of the report made and after speaking to you": the senior confirms
    they spoke to the member of staff who made the report (``spoke_to_reporter``) and when
    (``spoke_to_reporter_at``, after the report was raised and not in the future); the
    assessment is refused without it."""
    require(actor, "atrisk.assess_report", report,
            "Only senior staff can assess whether to contact other agencies (11.5).")
    errors: dict[str, list[str]] = {}
    if not spoke_to_reporter:
        errors["spoke_to_reporter"] = [
            "Confirm you spoke to the member of staff who made the report before assessing "
            "it (11.5)"]
    elif spoke_to_reporter_at is None:
        errors["spoke_to_reporter_at"] = ["Enter when you spoke to them"]
    elif spoke_to_reporter_at > _latest_allowed():
        errors["spoke_to_reporter_at"] = ["The time you spoke to them must be now or in the "
                                          "past"]
    elif spoke_to_reporter_at < report.raised_at - timedelta(minutes=1):
        errors["spoke_to_reporter_at"] = ["The time you spoke to them must be after the "
                                          "report was made"]
    if agencies_contacted is None:
        errors["agencies_contacted"] = ["Select whether other agencies were contacted"]
    elif agencies_contacted:
        _require(agencies, "Enter which agencies were contacted", errors, "agencies")
        _require(agencies_contacted_at, "Enter when they were contacted", errors,
                 "agencies_contacted_at")
        _require(agencies_outcome, "Enter the outcome", errors, "agencies_outcome")
    else:
        _require(assessment_notes, "Enter why no other agency was contacted", errors,
                 "assessment_notes")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = AtRiskReport.objects.select_for_update().get(pk=report.pk)
        _move(report, ReportStatus.ASSESSED)
        report.assessed_by = actor
        report.assessed_at = timezone.now()
        report.spoke_to_reporter_at = spoke_to_reporter_at
        report.agencies_contacted = agencies_contacted
        report.agencies = agencies.strip() if agencies_contacted else ""
        report.agencies_contacted_at = agencies_contacted_at if agencies_contacted else None
        report.agencies_outcome = agencies_outcome.strip() if agencies_contacted else ""
        report.assessment_notes = assessment_notes.strip()
        fields = ["status", "assessed_by", "assessed_at", "spoke_to_reporter_at",
                  "agencies_contacted", "agencies",
                  "agencies_contacted_at", "agencies_outcome", "assessment_notes"]
        report.save(update_fields=fields)
        audit_record(actor=actor, action="atriskreport.assessed", target=report,
                     changes={"agencies_contacted": agencies_contacted})
    return report


@idempotent("atrisk.disclosure_record")
def disclosure_record(
    *,
    report: AtRiskReport,
    actor: User,
    necessity: str,
    less_intrusive_options: str,
    consent: str,
    consent_explanation: str,
    recipient_type: str,
    recipient_authority: str,
    what_was_disclosed: str,
    disclosed_at: datetime | None,
    authorised_by: User | None,
) -> VitalInterestsDisclosure:
    """Record a disclosure made in the person's vital interests and notify Compliance (11.6).

    It cannot be saved without the whole vital-interests test, the recipient, exactly what
    was disclosed and who authorised it.
    """
    require(actor, "atrisk.record_disclosure", report,
            "Only senior staff can record a disclosure in someone's vital interests (11.6).")
    errors: dict[str, list[str]] = {}
    _require(necessity, "Enter why the disclosure is necessary to protect someone's life",
             errors, "necessity")
    _require(less_intrusive_options, "Enter the less intrusive options you considered",
             errors, "less_intrusive_options")
    if consent not in Consent.values:
        errors["consent"] = ["Select whether the person could consent"]
    _require(consent_explanation, "Enter why consent was not relied on", errors,
             "consent_explanation")
    if recipient_type not in RecipientType.values:
        errors["recipient_type"] = ["Select the kind of authority"]
    _require(recipient_authority, "Enter the authority the details were given to", errors,
             "recipient_authority")
    _require(what_was_disclosed, "Enter exactly what was disclosed", errors,
             "what_was_disclosed")
    if disclosed_at is None:
        errors["disclosed_at"] = ["Enter when the details were disclosed"]
    elif disclosed_at > _latest_allowed():
        errors["disclosed_at"] = ["The time of the disclosure must be now or in the past"]
    if authorised_by is None:
        errors["authorised_by"] = ["Select who authorised the disclosure"]
    elif not authorised_by.has_role(Role.SENIOR_STAFF, Role.HEAD_OF_DEPARTMENT):
        errors["authorised_by"] = ["The disclosure must be authorised by senior staff"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = AtRiskReport.objects.select_for_update().get(pk=report.pk)
        if report.status not in DISCLOSURE_STATUSES:
            raise ValidationError(
                "A senior member of staff must acknowledge the report before a disclosure "
                "is recorded."
            )
        disclosure = VitalInterestsDisclosure.objects.create(
            report=report, necessity=necessity.strip(),
            less_intrusive_options=less_intrusive_options.strip(), consent=consent,
            consent_explanation=consent_explanation.strip(), recipient_type=recipient_type,
            recipient_authority=recipient_authority.strip(),
            what_was_disclosed=what_was_disclosed.strip(), disclosed_at=disclosed_at,
            authorised_by=authorised_by, recorded_by=actor,
        )
        audit_record(actor=actor, action="vitalinterestsdisclosure.recorded", target=disclosure,
                     changes={"report": report.pk, "recipient_type": recipient_type,
                              "authorised_by": authorised_by.pk})
        link = reverse("atrisk:register")
        for officer in User.objects.filter(groups__name=Role.COMPLIANCE, is_active=True):
            schedule(
                kind=DISCLOSURE_KIND, key=f"disclosure:{disclosure.pk}:compliance:{officer.pk}",
                recipient=officer, due_at=timezone.now(), target=disclosure, link=link,
                message=f"Disclosure {disclosure.pk} made in someone's vital interests: "
                        "record it in the disclosure register (11.6).",
            )
    return disclosure


def disclosure_register(
    *, disclosure: VitalInterestsDisclosure, actor: User
) -> VitalInterestsDisclosure:
    """Compliance records the disclosure in the formal register (11.6)."""
    require(actor, "atrisk.register_disclosure", disclosure,
            "Only Compliance keeps the register of disclosures (11.6).")
    with transaction.atomic():
        disclosure = VitalInterestsDisclosure.objects.select_for_update().get(pk=disclosure.pk)
        if disclosure.registered_at is not None:
            raise ValidationError(
                f"Disclosure {disclosure.pk} is already recorded in the register."
            )
        disclosure.registered_by = actor
        disclosure.registered_at = timezone.now()
        disclosure.save(update_fields=["registered_by", "registered_at"])
        audit_record(actor=actor, action="vitalinterestsdisclosure.registered",
                     target=disclosure)
        keys = DueItem.objects.filter(
            kind=DISCLOSURE_KIND, key__startswith=f"disclosure:{disclosure.pk}:"
        ).values_list("key", flat=True)
        for key in keys:
            complete(key=key)
    return disclosure


def duty_rota_save(*, rota: DutyRota, actor: User) -> DutyRota:
    """Add or change a duty shift (admin); only senior staff can be on the rota (11.2)."""
    require(actor, "atrisk.manage_duty_rota", rota,
            "Only an administrator can change the duty rota.")
    if rota.senior_id and not rota.senior.has_role(Role.SENIOR_STAFF):
        raise ValidationError({"senior": ["Only senior staff can be on the duty rota."]})
    rota.full_clean()
    with transaction.atomic():
        created = rota.pk is None
        rota.save()
        audit_record(
            actor=actor, action="dutyrota.added" if created else "dutyrota.changed",
            target=rota, changes={"senior": rota.senior_id,
                                  "starts_at": rota.starts_at.isoformat(),
                                  "ends_at": rota.ends_at.isoformat()},
        )
    return rota

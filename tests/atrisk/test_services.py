"""Services of paragraph 11: routing of alerts (11.2), acknowledgement and escalation, the
senior assessment (11.5) and vital-interests disclosures (11.6)."""

import datetime as dt
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.constants import Role
from atrisk import services
from atrisk.constants import (
    Consent,
    EmergencyAdvice,
    RecipientType,
    ReportStatus,
    Source,
    ThreatType,
)
from atrisk.models import AtRiskReport, VitalInterestsDisclosure
from atrisk.selectors import alert_items_for
from audit.models import AuditEvent
from notifications import kinds
from notifications import services as notification_services
from notifications.models import DueItem
from tests.atrisk.factories import (
    AcknowledgedReportFactory,
    AtRiskReportFactory,
    CaseReferenceFactory,
    ContactFactory,
    DisclosureFactory,
    DutyRotaFactory,
)

pytestmark = pytest.mark.django_db


def raise_report(reporter, **overrides):
    fields = {
        "raised_by": reporter, "source": Source.TELEPHONE, "threat_type": ThreatType.SELF_HARM,
        "what_was_said": "I am going to end it tonight.", "threat_made_at": timezone.now(),
        "emergency_advice": EmergencyAdvice.ADVISED,
    }
    fields.update(overrides)
    return services.report_raise(**fields)


def disclosure_fields(report, senior, **overrides):
    fields = {
        "report": report, "actor": senior,
        "necessity": "A plan and a time were given.",
        "less_intrusive_options": "Asked them to call 999; they would not.",
        "consent": Consent.REFUSED,
        "consent_explanation": "They refused and delay risked their life.",
        "recipient_type": RecipientType.POLICE,
        "recipient_authority": "Police control room",
        "what_was_disclosed": "Name, phone number and location given.",
        "disclosed_at": timezone.now(), "authorised_by": senior,
    }
    fields.update(overrides)
    return fields


# --- 11.2: routing the alert ---------------------------------------------------------------

def test_alert_goes_to_the_senior_on_duty_only(make_user):
    on_duty = make_user(Role.SENIOR_STAFF)
    make_user(Role.SENIOR_STAFF)  # in the group but not on duty
    DutyRotaFactory(senior=on_duty)
    report = raise_report(make_user(Role.CASEWORKER))
    items = list(alert_items_for(report))
    assert [i.recipient for i in items] == [on_duty]
    assert items[0].kind == "at_risk_alert"
    assert items[0].link == f"/at-risk/{report.pk}/"


def test_a_shift_that_has_ended_or_not_started_does_not_count(make_user):
    now = timezone.now()
    past = make_user(Role.SENIOR_STAFF)
    future = make_user(Role.SENIOR_STAFF)
    DutyRotaFactory(senior=past, starts_at=now - timedelta(hours=9), ends_at=now - timedelta(
        minutes=1))
    DutyRotaFactory(senior=future, starts_at=now + timedelta(minutes=5),
                    ends_at=now + timedelta(hours=8))
    report = raise_report(make_user(Role.CASEWORKER))
    # Nobody on duty: the whole Senior staff group.
    assert {i.recipient for i in alert_items_for(report)} == {past, future}


def test_with_no_rota_the_alert_goes_to_the_senior_staff_group(make_user):
    seniors = {make_user(Role.SENIOR_STAFF) for _ in range(3)}
    away = make_user(Role.SENIOR_STAFF, is_away=True)
    make_user(Role.LINE_MANAGER)
    report = raise_report(make_user(Role.CASEWORKER))
    recipients = {i.recipient for i in alert_items_for(report)}
    assert recipients == seniors
    assert away not in recipients
    assert all(i.due_at <= timezone.now() for i in alert_items_for(report))


def test_a_senior_who_raises_a_report_is_not_alerted_about_it(make_user):
    reporter = make_user(Role.SENIOR_STAFF)
    other = make_user(Role.SENIOR_STAFF)
    DutyRotaFactory(senior=reporter)
    report = raise_report(reporter)
    assert [i.recipient for i in alert_items_for(report)] == [other]


def test_someone_on_the_rota_without_the_senior_role_is_not_alerted(make_user):
    ex_senior = make_user(Role.LINE_MANAGER)
    senior = make_user(Role.SENIOR_STAFF)
    DutyRotaFactory(senior=ex_senior)
    report = raise_report(make_user(Role.CASEWORKER))
    assert [i.recipient for i in alert_items_for(report)] == [senior]


def test_with_no_senior_staff_at_all_the_reporters_manager_is_alerted(make_user):
    manager = make_user(Role.LINE_MANAGER)
    report = raise_report(make_user(Role.CASEWORKER, line_manager=manager))
    assert [i.recipient for i in alert_items_for(report)] == [manager]


def test_raising_is_audited_with_who_was_alerted(make_user):
    senior = make_user(Role.SENIOR_STAFF)
    report = raise_report(make_user(Role.CASEWORKER))
    event = AuditEvent.objects.get(action="atriskreport.raised", target_id=str(report.pk))
    assert event.changes["alerted"] == [senior.pk]


# --- the structured report ------------------------------------------------------------------

def test_a_report_needs_what_was_said_and_the_emergency_advice(make_user):
    with pytest.raises(ValidationError) as error:
        raise_report(make_user(Role.CASEWORKER), what_was_said="  ", emergency_advice="")
    assert set(error.value.message_dict) == {"what_was_said", "emergency_advice"}
    assert not AtRiskReport.objects.exists()


def test_the_time_of_the_threat_cannot_be_in_the_future(make_user):
    with pytest.raises(ValidationError) as error:
        raise_report(make_user(Role.CASEWORKER),
                     threat_made_at=timezone.now() + timedelta(hours=1))
    assert "threat_made_at" in error.value.message_dict


def test_an_ongoing_case_needs_the_case_note_11_2(make_user):
    case = CaseReferenceFactory(is_open=True)
    with pytest.raises(ValidationError) as error:
        raise_report(make_user(Role.CASEWORKER), case_reference=case)
    assert error.value.message_dict["case_note"] == ["Enter the note for the case file (11.2)"]
    report = raise_report(make_user(Role.CASEWORKER), case_reference=case,
                          case_note="Threat of self-harm made on the phone; passed to senior.")
    assert report.case_reference == case
    assert report.customer == case.customer  # linked through the case
    assert report.case_note.startswith("Threat of self-harm")


def test_a_closed_case_does_not_need_a_case_note(make_user):
    case = CaseReferenceFactory(is_open=False)
    report = raise_report(make_user(Role.CASEWORKER), case_reference=case)
    assert report.case_note == ""


def test_the_case_must_belong_to_the_customer_given(make_user):
    case = CaseReferenceFactory()
    other = CaseReferenceFactory().customer
    with pytest.raises(ValidationError) as error:
        raise_report(make_user(Role.CASEWORKER), customer=other, case_reference=case,
                     case_note="x")
    assert "case_reference" in error.value.message_dict


def test_a_report_from_a_contact_takes_its_customer_and_case(make_user):
    case = CaseReferenceFactory(is_open=False)
    contact = ContactFactory(customer=case.customer, case_reference=case,
                             staff=make_user(Role.CASEWORKER))
    report = raise_report(contact.staff, contact=contact)
    assert (report.contact, report.customer, report.case_reference) == (
        contact, case.customer, case)


def test_a_report_can_be_raised_with_no_contact_or_customer(make_user):
    report = raise_report(make_user(Role.CASEWORKER), source=Source.WRITTEN,
                          emergency_advice=EmergencyAdvice.NOT_APPLICABLE)
    assert report.customer is None
    assert report.contact is None
    assert report.status == ReportStatus.RAISED


# --- acknowledgement and escalation ---------------------------------------------------------

def test_acknowledging_records_who_and_when_and_completes_every_alert(make_user):
    seniors = [make_user(Role.SENIOR_STAFF) for _ in range(2)]
    report = raise_report(make_user(Role.CASEWORKER))
    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=False):
        services.report_acknowledge(report=report, actor=seniors[1])
        acknowledged_at = timezone.now()
    report.refresh_from_db()
    assert report.status == ReportStatus.ACKNOWLEDGED
    assert report.acknowledged_by == seniors[1]
    assert report.acknowledged_at == acknowledged_at
    assert all(i.completed_at == acknowledged_at for i in alert_items_for(report))
    assert AuditEvent.objects.filter(action="atriskreport.acknowledged",
                                     actor=seniors[1]).exists()


def test_a_report_is_acknowledged_once(make_user):
    first, second = make_user(Role.SENIOR_STAFF), make_user(Role.SENIOR_STAFF)
    report = raise_report(make_user(Role.CASEWORKER))
    services.report_acknowledge(report=report, actor=first)
    with pytest.raises(ValidationError, match="already acknowledged"):
        services.report_acknowledge(report=report, actor=second)
    report.refresh_from_db()
    assert report.acknowledged_by == first


def test_the_reporter_cannot_acknowledge_their_own_report(make_user):
    reporter = make_user(Role.SENIOR_STAFF)
    make_user(Role.SENIOR_STAFF)
    report = raise_report(reporter)
    with pytest.raises(PermissionDenied, match="other than the reporter"):
        services.report_acknowledge(report=report, actor=reporter)


def test_the_alert_kind_escalates_after_the_configured_minutes(settings):
    kind = kinds.get("at_risk_alert")
    assert settings.ATRISK_ACKNOWLEDGE_MINUTES == 15
    assert kind.escalate_after == timedelta(minutes=15)
    assert kind.paragraph == "11.2"


def test_an_unacknowledged_alert_goes_to_the_next_manager_up(make_user):
    head = make_user(Role.HEAD_OF_DEPARTMENT)
    away_manager = make_user(Role.LINE_MANAGER, line_manager=head, is_away=True)
    senior = make_user(Role.SENIOR_STAFF, line_manager=away_manager)
    report = raise_report(make_user(Role.CASEWORKER))
    item = alert_items_for(report).get()
    assert item.recipient == senior
    # 2.2: the away manager is skipped.
    assert kinds.get("at_risk_alert").escalate_to(item) == head


T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_escalation_timing_with_time_machine(make_user):
    """Due at once; escalation falls due 15 minutes later unless acknowledged (11.2).

    ``notifications.services.sweep`` (issue 3) is exercised when present in the branch; the
    due item's clock is checked directly either way.
    """
    manager = make_user(Role.LINE_MANAGER)
    senior = make_user(Role.SENIOR_STAFF, line_manager=manager)
    with time_machine.travel(T0, tick=False):
        report = raise_report(make_user(Role.CASEWORKER), threat_made_at=T0)
    item = alert_items_for(report).get()
    kind = kinds.get(item.kind)
    assert item.recipient == senior
    assert item.due_at == T0
    assert item.due_at + kind.escalate_after == T0 + timedelta(minutes=15)
    sweep = getattr(notification_services, "sweep", None)
    if sweep is not None:
        sweep(now=T0)
        sweep(now=T0 + timedelta(minutes=14, seconds=59))
        item.refresh_from_db()
        assert item.escalated_at is None
        sweep(now=T0 + timedelta(minutes=15))
        item.refresh_from_db()
        assert item.escalated_to == manager
    # Acknowledged in time: nothing left to escalate.
    with time_machine.travel(T0 + timedelta(minutes=14), tick=False):
        services.report_acknowledge(report=report, actor=senior)
    item.refresh_from_db()
    assert item.completed_at == T0 + timedelta(minutes=14)
    assert not item.is_open


def test_acknowledged_reports_leave_no_open_alert_for_escalation(make_user):
    make_user(Role.SENIOR_STAFF)
    senior = make_user(Role.SENIOR_STAFF)
    report = raise_report(make_user(Role.CASEWORKER))
    services.report_acknowledge(report=report, actor=senior)
    assert not DueItem.objects.filter(kind="at_risk_alert", completed_at__isnull=True).exists()


# --- 11.5: the senior assessment ------------------------------------------------------------

def _spoke() -> dict:
    return {"spoke_to_reporter": True, "spoke_to_reporter_at": timezone.now()}

def test_assessment_records_agencies_when_and_outcome(make_user):
    senior = make_user(Role.SENIOR_STAFF)
    report = AcknowledgedReportFactory(acknowledged_by=senior)
    when = timezone.now() - timedelta(minutes=30)
    services.report_assess(report=report, actor=senior, **_spoke(), agencies_contacted=True,
                           agencies="Police", agencies_contacted_at=when,
                           agencies_outcome="Officers attended.")
    report.refresh_from_db()
    assert report.status == ReportStatus.ASSESSED
    assert (report.agencies, report.agencies_contacted_at, report.agencies_outcome) == (
        "Police", when, "Officers attended.")


def test_assessment_with_agencies_needs_which_when_and_outcome(make_user):
    senior = make_user(Role.SENIOR_STAFF)
    report = AcknowledgedReportFactory(acknowledged_by=senior)
    with pytest.raises(ValidationError) as error:
        services.report_assess(report=report, actor=senior, **_spoke(), agencies_contacted=True)
    assert set(error.value.message_dict) == {"agencies", "agencies_contacted_at",
                                             "agencies_outcome"}


def test_assessment_without_agencies_needs_a_reason(make_user):
    senior = make_user(Role.SENIOR_STAFF)
    report = AcknowledgedReportFactory(acknowledged_by=senior)
    with pytest.raises(ValidationError) as error:
        services.report_assess(report=report, actor=senior, **_spoke(), agencies_contacted=False)
    assert "assessment_notes" in error.value.message_dict


def test_a_report_is_not_assessed_before_it_is_acknowledged(make_user):
    senior = make_user(Role.SENIOR_STAFF)
    report = AtRiskReportFactory()
    with pytest.raises(ValidationError, match="cannot be moved"):
        services.report_assess(report=report, actor=senior, **_spoke(), agencies_contacted=False,
                               assessment_notes="No risk.")


# --- 11.6: vital-interests disclosures ------------------------------------------------------

REQUIRED = ["necessity", "less_intrusive_options", "consent", "consent_explanation",
            "recipient_type", "recipient_authority", "what_was_disclosed", "disclosed_at",
            "authorised_by"]


@pytest.mark.parametrize("missing", REQUIRED)
def test_a_disclosure_cannot_be_saved_without_its_justification(make_user, missing):
    senior = make_user(Role.SENIOR_STAFF)
    report = AcknowledgedReportFactory(acknowledged_by=senior)
    blank = None if missing in {"disclosed_at", "authorised_by"} else ""
    with pytest.raises(ValidationError) as error:
        services.disclosure_record(**disclosure_fields(report, senior, **{missing: blank}))
    assert list(error.value.message_dict) == [missing]
    assert not VitalInterestsDisclosure.objects.exists()
    assert not DueItem.objects.filter(kind="disclosure_recorded").exists()


def test_a_disclosure_must_be_authorised_by_senior_staff(make_user):
    senior = make_user(Role.SENIOR_STAFF)
    report = AcknowledgedReportFactory(acknowledged_by=senior)
    caseworker = make_user(Role.CASEWORKER)
    with pytest.raises(ValidationError) as error:
        services.disclosure_record(**disclosure_fields(report, senior, authorised_by=caseworker))
    assert "authorised_by" in error.value.message_dict


def test_a_disclosure_waits_for_acknowledgement(make_user):
    senior = make_user(Role.SENIOR_STAFF)
    report = AtRiskReportFactory()
    with pytest.raises(ValidationError, match="acknowledge"):
        services.disclosure_record(**disclosure_fields(report, senior))


def test_recording_a_disclosure_notifies_compliance(make_user):
    senior = make_user(Role.SENIOR_STAFF)
    officers = {make_user(Role.COMPLIANCE) for _ in range(2)}
    report = AcknowledgedReportFactory(acknowledged_by=senior)
    disclosure = services.disclosure_record(**disclosure_fields(report, senior))
    items = DueItem.objects.filter(kind="disclosure_recorded")
    assert {i.recipient for i in items} == officers
    assert all(i.target == disclosure and i.link == "/at-risk/disclosures/" for i in items)
    assert AuditEvent.objects.filter(action="vitalinterestsdisclosure.recorded",
                                     target_id=str(disclosure.pk)).exists()


def test_compliance_records_it_in_the_register_once(make_user):
    officer = make_user(Role.COMPLIANCE)
    senior = make_user(Role.SENIOR_STAFF)
    report = AcknowledgedReportFactory(acknowledged_by=senior)
    disclosure = services.disclosure_record(**disclosure_fields(report, senior))
    services.disclosure_register(disclosure=disclosure, actor=officer)
    disclosure.refresh_from_db()
    assert disclosure.registered_by == officer
    assert disclosure.registered_at is not None
    assert not DueItem.objects.filter(kind="disclosure_recorded",
                                      completed_at__isnull=True).exists()
    with pytest.raises(ValidationError, match="already recorded"):
        services.disclosure_register(disclosure=disclosure, actor=officer)


def test_the_database_refuses_a_disclosure_without_its_test():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        DisclosureFactory(necessity="")


def test_duty_rota_only_takes_senior_staff(make_user):
    from atrisk.models import DutyRota

    now = timezone.now()
    with pytest.raises(ValidationError):
        services.duty_rota_save(
            rota=DutyRota(senior=make_user(Role.LINE_MANAGER), starts_at=now,
                          ends_at=now + timedelta(hours=1)),
            actor=make_user(Role.ADMINISTRATOR),
        )
    admin = make_user(Role.ADMINISTRATOR)
    rota = services.duty_rota_save(
        rota=DutyRota(senior=make_user(Role.SENIOR_STAFF), starts_at=now,
                      ends_at=now + timedelta(hours=1)),
        actor=admin,
    )
    assert rota.pk is not None
    rota.ends_at = now - timedelta(hours=1)
    with pytest.raises(ValidationError):
        services.duty_rota_save(rota=rota, actor=admin)


def test_a_report_from_a_contact_is_raised_by_whoever_handles_it(make_user):
    """11.2, issue 17: the screen's "your own contact" check is the service's too."""
    owner, colleague = make_user(Role.CASEWORKER), make_user(Role.CASEWORKER)
    contact = ContactFactory(staff=owner)
    with pytest.raises(PermissionDenied, match="handling this contact"):
        raise_report(colleague, contact=contact)
    assert raise_report(owner, contact=contact).contact == contact


def test_the_assessment_is_refused_unless_the_senior_spoke_to_the_member_of_staff(make_user):
    """11.5: "on the basis of the report made and after speaking to you"."""
    senior = make_user(Role.SENIOR_STAFF)
    report = AcknowledgedReportFactory(acknowledged_by=senior)
    reasons = {"agencies_contacted": False, "assessment_notes": "No plan or means."}
    with pytest.raises(ValidationError) as error:
        services.report_assess(report=report, actor=senior, **reasons)
    assert "spoke to the member of staff" in error.value.message_dict["spoke_to_reporter"][0]
    with pytest.raises(ValidationError) as error:
        services.report_assess(report=report, actor=senior, spoke_to_reporter=True, **reasons)
    assert "spoke_to_reporter_at" in error.value.message_dict
    with pytest.raises(ValidationError, match="now or in the past"):
        services.report_assess(report=report, actor=senior, spoke_to_reporter=True,
                               spoke_to_reporter_at=timezone.now() + timedelta(hours=2),
                               **reasons)
    with pytest.raises(ValidationError, match="after the report was made"):
        services.report_assess(report=report, actor=senior, spoke_to_reporter=True,
                               spoke_to_reporter_at=report.raised_at - timedelta(hours=2),
                               **reasons)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACKNOWLEDGED
    when = timezone.now()
    services.report_assess(report=report, actor=senior, spoke_to_reporter=True,
                           spoke_to_reporter_at=when, **reasons)
    report.refresh_from_db()
    assert report.status == ReportStatus.ASSESSED
    assert report.spoke_to_reporter_at == when


# --- 11.2: the telephone note filed with the case --------------------------------------------

def _ongoing_case_report(reporter):
    from tests.contacts.factories import CaseReferenceFactory

    case = CaseReferenceFactory(reference="RFA0044556")
    return AtRiskReportFactory(raised_by=reporter, customer=case.customer, case_reference=case,
                               case_note="Caller threatened to harm themselves; advised 999.")


def test_the_reporter_files_the_telephone_note_with_the_case_once(make_user):
    from documents.models import StoredDocument

    reporter = make_user(Role.CASEWORKER)
    report = _ongoing_case_report(reporter)
    services.report_note_file(report=report, actor=reporter)
    report.refresh_from_db()
    assert report.case_note_filed_by == reporter
    assert report.case_note_filed_at is not None
    document = StoredDocument.objects.get(kind="atrisk_telephone_note")
    assert document.source == report
    with pytest.raises(ValidationError, match="already been filed"):
        services.report_note_file(report=report, actor=reporter)


def test_only_the_reporter_or_senior_staff_file_the_note(make_user):
    from django.core.exceptions import PermissionDenied

    reporter = make_user(Role.CASEWORKER)
    report = _ongoing_case_report(reporter)
    for someone in (make_user(Role.CASEWORKER), make_user(Role.COMPLIANCE),
                    make_user(Role.LINE_MANAGER)):
        with pytest.raises(PermissionDenied):
            services.report_note_file(report=report, actor=someone)
    services.report_note_file(report=report, actor=make_user(Role.SENIOR_STAFF))


def test_a_report_without_an_ongoing_case_has_no_note_to_file(make_user):
    reporter = make_user(Role.CASEWORKER)
    with pytest.raises(ValidationError, match="not about an ongoing case"):
        services.report_note_file(report=AtRiskReportFactory(raised_by=reporter),
                                  actor=reporter)
    report = _ongoing_case_report(reporter)
    report.case_note = ""
    report.save(update_fields=["case_note"])
    with pytest.raises(ValidationError, match="no telephone note"):
        services.report_note_file(report=report, actor=reporter)

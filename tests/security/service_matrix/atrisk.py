"""At-risk reports and disclosures (11). ``caseworker`` raised the report."""

from django.utils import timezone

from atrisk import services as s
from tests.security.permission_matrix import ADMINISTRATORS, COMPLIANCE, STAFF
from tests.security.service_matrix import Acts, Read

SENIOR = frozenset({"senior"})


def _disclose(w, a):
    return s.disclosure_record(
        report=w.acknowledged_report, actor=a, necessity="A risk to life.",
        less_intrusive_options="Asked them to call 999.", consent="refused",
        consent_explanation="They refused.", recipient_type="police",
        recipient_authority="Police control room", what_was_disclosed="Name and phone.",
        disclosed_at=timezone.now(), authorised_by=w.senior)


SERVICES = {
    "atrisk.services.alert_recipients": Read("lists who an alert goes to"),
    "atrisk.services.report_raise": Acts(STAFF, lambda w, a: s.report_raise(
        raised_by=a, source="telephone", threat_type="self_harm",
        what_was_said="They said they would hurt themselves.", threat_made_at=timezone.now(),
        emergency_advice="advised", customer=w.customer)),
    # 11.2: someone other than the reporter takes it on
    "atrisk.services.report_acknowledge": Acts(SENIOR, lambda w, a: s.report_acknowledge(
        report=w.report, actor=a)),
    # 11.5: the senior assessment, after speaking to the member of staff
    "atrisk.services.report_assess": Acts(SENIOR, lambda w, a: s.report_assess(
        report=w.acknowledged_report, actor=a, spoke_to_reporter=True,
        spoke_to_reporter_at=timezone.now(), agencies_contacted=False,
        assessment_notes="No plan or means; advised 999.")),
    # 11.2: the reporter or senior staff file the telephone note with the ongoing case
    "atrisk.services.report_note_file": Acts(
        frozenset({"caseworker", "senior"}), lambda w, a: s.report_note_file(
            report=w.case_note_report, actor=a)),
    # 11.6: senior staff record a disclosure; Compliance registers it
    "atrisk.services.disclosure_record": Acts(SENIOR, _disclose),
    "atrisk.services.disclosure_register": Acts(COMPLIANCE, lambda w, a: s.disclosure_register(
        disclosure=w.disclosure, actor=a)),
    "atrisk.services.duty_rota_save": Acts(ADMINISTRATORS, lambda w, a: s.duty_rota_save(
        rota=w.new_duty_shift, actor=a)),
}

"""Retention rules for at-risk reports, vital-interests disclosures and the duty rota."""

from contacts.retention import STAFF_LINK
from privacy.registry import ANONYMISE, DELETE, STAFF, RetentionRule, register

LAWFUL_BASIS = ("Vital interests (UK GDPR Art. 6(1)(d)) and public task (Art. 6(1)(e)); health "
                "data under Art. 9(2)(c) (vital interests) and DPA 2018 Sch. 1 para 18 "
                "(safeguarding of individuals at risk)")



def _disclosed_to(disclosure) -> list[dict]:
    return [{"recipient": f"{disclosure.get_recipient_type_display()}: "
                          f"{disclosure.recipient_authority}",
             "when": disclosure.disclosed_at, "what": disclosure.what_was_disclosed,
             "basis": "Vital interests (11.6; UK GDPR Art. 6(1)(d), 9(2)(c))"}]


def _agencies_contacted(report) -> list[dict]:
    if not report.agencies_contacted or not report.agencies.strip():
        return []
    return [{"recipient": report.agencies, "when": report.agencies_contacted_at,
             "what": "Contacted about the concern in this report",
             "basis": "Vital interests / safeguarding (11.5)"}]


def _report_source(report) -> str:
    from contacts.retention import _staff

    return (f"what the caller said ({report.get_source_display().lower()}), recorded by a "
            f"member of staff ({_staff(report.raised_by)})")


def _disclosure_source(disclosure) -> str:
    from contacts.retention import _staff

    return ("a senior member of staff's record of the disclosure "
            f"({_staff(disclosure.recorded_by)})")


register(RetentionRule(
    model="atrisk.AtRiskReport", record_source=_report_source, recipients=_agencies_contacted,
    personal_fields=("what_was_said", "caller_name", "caller_phone", "caller_other_details",
                     "location_given", "case_note", "agencies", "agencies_outcome",
                     "assessment_notes"),
    period="atrisk", action=ANONYMISE, anchor="raised_at", starts="the report was raised",
    customer="customer",
    purpose="Pass a threat of harm to senior staff at once and decide whether to contact "
            "other agencies (11.2-11.5)",
    lawful_basis=LAWFUL_BASIS, seen_by=("atrisk.view_report",),
    source="entered by staff from what the caller said",
    kept={"raised_by": STAFF_LINK, "acknowledged_by": STAFF_LINK, "assessed_by": STAFF_LINK,
          "case_note_filed_by": STAFF_LINK},
))
register(RetentionRule(
    model="atrisk.VitalInterestsDisclosure", recipients=_disclosed_to,
    record_source=_disclosure_source,
    personal_fields=("necessity", "less_intrusive_options", "consent_explanation",
                     "recipient_authority", "what_was_disclosed"),
    period="disclosures", action=ANONYMISE, anchor="disclosed_at",
    starts="the disclosure was made", customer="report__customer",
    purpose="The register of disclosures made in someone's vital interests (11.6)",
    lawful_basis=LAWFUL_BASIS, seen_by=("atrisk.view_register", "atrisk.view_report"),
    kept={"authorised_by": STAFF_LINK, "recorded_by": STAFF_LINK,
          "registered_by": STAFF_LINK},
))
register(RetentionRule(
    model="atrisk.DutyRota", personal_fields=("note",), period="duty_rota", action=DELETE,
    anchor="ends_at", starts="the shift ended", subjects=(STAFF,),
    purpose="Send at-risk alerts to the senior member of staff on duty (11.2)",
    lawful_basis="Public task (Art. 6(1)(e)); the staff member's contract (Art. 6(1)(b))",
    seen_by=("atrisk.view_duty_rota",), kept={"senior": "the senior member of staff on duty"},
))

"""The frozen context of each kind of document: plain JSON taken from the records at issue.

Nothing in a document template reads the database: it shows only what is frozen here, so a
stored document keeps what it said even after the record changes (and the same context
renders the same bytes). Dates are ISO strings under keys ending ``_date`` or ``_at``.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from documents import customers
from documents.constants import DocumentKind
from documents.people import full_name, signatory


def _iso(value) -> str:
    return value.isoformat() if value is not None else ""


def restriction_terms(restriction) -> dict:
    """The terms (7.2) or adjustments (12.2) as codes and values; the letter words them."""
    return {
        "is_adjustment": restriction.is_adjustment,
        "terms": list(restriction.terms),
        "phone_times": restriction.phone_times,
        "call_length_minutes": restriction.call_length_minutes,
        "point_of_contact": full_name(restriction.point_of_contact),
        "placed_on_file": restriction.placed_on_file,
        "terms_notes": restriction.terms_notes,
        "need": restriction.need,
        "adjustments": list(restriction.adjustments),
        "start_date": _iso(restriction.start_date),
        "review_date": _iso(restriction.review_date),
        "end_date": _iso(restriction.end_date),
        "until_date": _iso(restriction.until),
    }


def restriction_letter(*, restriction, transition, letter_date, why: str,
                       appeal_deadline, issuer) -> dict:
    """A letter about a restriction or adjustment: decided, renewed, lifted or expired.

    Signed by whoever made the move it tells of; one the beat made (an expiry) by the issuer.
    """
    signer = transition.actor or issuer
    return {
        "letter_date": _iso(letter_date),
        "customer": customers.frozen(restriction.customer),
        "record_id": restriction.pk,
        **restriction_terms(restriction),
        "decided_date": _iso(restriction.decided_at.date() if restriction.decided_at else None),
        "why": why.strip(),
        "appeal_deadline_date": _iso(appeal_deadline),
        "appeal_window_days": settings.RESTRICTIONS_APPEAL_WINDOW_WORKING_DAYS,
        "signatory": signatory(signer, restriction.department),
    }


def appeal_letter(*, appeal, letter_date) -> dict:
    restriction = appeal.restriction
    return {
        "letter_date": _iso(letter_date),
        "customer": customers.frozen(restriction.customer),
        "record_id": restriction.pk,
        **restriction_terms(restriction),
        "received_date": _iso(appeal.received_on),
        "outcome": appeal.outcome,
        "reason": appeal.reason,
        "ombudsman": settings.RESTRICTIONS_OMBUDSMAN,
        # Someone senior outside the decision: titled by their own department.
        "signatory": signatory(appeal.decided_by, appeal.decided_by.department),
    }


def terminated_call_log(*, log) -> dict:
    """Every field of the appendix's "Record of a terminated call" (8.1)."""
    return {
        "log_id": log.pk,
        "caller_name": log.caller_name,
        "case_reference": log.case_reference,
        "call_at": _iso(log.call_at),
        "reason": log.reason,
        "staff_name": log.staff_name,
        "submitted_at": _iso(log.submitted_at),
        "received_by": full_name(log.received_by),  # 8.1: the manager it was given to
        "customer": customers.frozen(log.contact.customer),
    }


def atrisk_telephone_note(*, report) -> dict:
    """11.2: the details of the threats, for the telephone note attached to the case file."""
    return {
        "report_id": report.pk,
        "case_reference": report.case_reference.reference if report.case_reference else "",
        "customer": customers.frozen(report.customer),
        "threat_type": report.get_threat_type_display(),
        "what_was_said": report.what_was_said,
        "caller_name": report.caller_name,
        "caller_phone": report.caller_phone,
        "caller_other_details": report.caller_other_details,
        "location_given": report.location_given,
        "threat_made_at": _iso(report.threat_made_at),
        "emergency_advice": report.get_emergency_advice_display(),
        "case_note": report.case_note,
        "raised_by": full_name(report.raised_by),
        "raised_at": _iso(report.raised_at),
    }


# Each kind: its template and its title (translated into the document's language).
TEMPLATES = {
    DocumentKind.RESTRICTION_DECIDED: "documents/pdf/letter_restriction_decided.html",
    DocumentKind.ADJUSTMENT_AGREED: "documents/pdf/letter_adjustment_agreed.html",
    DocumentKind.RESTRICTION_RENEWED: "documents/pdf/letter_renewed.html",
    DocumentKind.RESTRICTION_LIFTED: "documents/pdf/letter_lifted.html",
    DocumentKind.RESTRICTION_EXPIRED: "documents/pdf/letter_expired.html",
    DocumentKind.APPEAL_OUTCOME: "documents/pdf/letter_appeal_outcome.html",
    DocumentKind.TERMINATED_CALL_LOG: "documents/pdf/terminated_call_log.html",
    DocumentKind.ATRISK_TELEPHONE_NOTE: "documents/pdf/atrisk_telephone_note.html",
}


def title(kind: str, context: dict):
    """The document's title (lazy: call ``str`` inside the language wanted)."""
    adjustment = context.get("is_adjustment", False)
    titles = {
        DocumentKind.RESTRICTION_DECIDED: _("How we will deal with you from now on"),
        DocumentKind.ADJUSTMENT_AGREED: _("The adjustments we have agreed for you"),
        DocumentKind.RESTRICTION_RENEWED: _("We have renewed your adjustments") if adjustment
        else _("We have renewed the restriction on how we deal with you"),
        DocumentKind.RESTRICTION_LIFTED: _("Your adjustments have ended") if adjustment
        else _("We have lifted the restriction on how we deal with you"),
        DocumentKind.RESTRICTION_EXPIRED: _("Your adjustments have come to an end")
        if adjustment else _("The restriction on how we deal with you has ended"),
        DocumentKind.APPEAL_OUTCOME: _("The review of our decision"),
        DocumentKind.TERMINATED_CALL_LOG: _("Record of a terminated call"),
        DocumentKind.ATRISK_TELEPHONE_NOTE: _("Telephone note: threats made during a call"),
    }
    return titles[kind]

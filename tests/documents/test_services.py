"""Issuing letters and case-file copies: stored once, with their hash, exactly as issued."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import dateformat, timezone

from audit.models import AuditEvent
from core import dates
from documents import services
from documents.constants import DocumentKind
from documents.models import StoredDocument, documents_storage
from documents.rendering import render_pdf
from restrictions import services as rs
from restrictions.constants import Term
from restrictions.services_followup import appeal_deadline
from tests.documents.conftest import decide, pdf_reader, pdf_text, structure_tags

WHY = "You shouted at our staff on three calls and did not stop when asked."


def _long(day) -> str:
    return dateformat.format(day, "j F Y")


def test_decision_letter_holds_terms_dates_appeal_deadline_and_decider(org, decided):
    """12: the terms, why, the review date, how to appeal and by when, the decider (10.1)."""
    document = services.restriction_letter_issue(restriction=decided, actor=org.manager,
                                                 language="en", why=WHY)
    assert document.kind == DocumentKind.RESTRICTION_DECIDED
    data = documents_storage().open(document.file.name).read()
    text = pdf_text(data)
    decided.refresh_from_db()
    deadline = dates.add_working_days(timezone.localdate(), 20)
    assert "Contact us in writing only, by letter or email" in text
    assert WHY in text
    assert f"We will review it by {_long(decided.review_date)}" in text
    assert f"The last day to ask for a review: {_long(deadline)}" in text
    assert "Rhiannon Pritchard, Head of Department, made this decision" in text
    assert "Information Commissioner's Office" in text
    for expected in (org.customer.reference, document.reference, "1 High Street", "AB1 2CD"):
        assert expected in text
    assert "Page 1 of" in text


def test_issuing_records_the_letter_as_sent_and_the_deadline_counts_from_it(org, decided):
    """The existing "telling the customer" step is done by issuing; the window starts then."""
    assert decided.letter_sent_on is None
    services.restriction_letter_issue(restriction=decided, actor=org.manager, why=WHY)
    decided.refresh_from_db()
    assert decided.letter_sent_on == timezone.localdate()
    assert decided.informed_on == timezone.localdate()
    document = StoredDocument.objects.get()
    assert document.context["appeal_deadline_date"] == appeal_deadline(decided).isoformat()
    assert AuditEvent.objects.filter(action="restriction.letter_sent").count() == 1


def test_the_file_is_stored_with_its_hash_issuer_and_frozen_context(org, decided):
    document = services.restriction_letter_issue(restriction=decided, actor=org.manager,
                                                 why=WHY)
    data = documents_storage().open(document.file.name).read()
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.size == len(data)
    assert document.issued_by == org.manager
    assert document.customer == org.customer
    assert document.source == decided.transitions.get(action="approve")
    assert document.context["why"] == WHY
    assert document.context["signatory"] == {"name": "Rhiannon Pritchard",
                                             "title": "Head of Department"}
    assert AuditEvent.objects.filter(action="storeddocument.issued",
                                     target_id=str(document.pk)).exists()


def test_reprint_returns_the_same_bytes_even_after_the_record_changes(org, decided):
    """Generated once: issuing again and downloading return the stored bytes."""
    first = services.restriction_letter_issue(restriction=decided, actor=org.manager, why=WHY)
    original = services.document_read(document=first, actor=org.manager)
    org.customer.address = "99 New Road\nElsewhere"
    org.customer.save()
    again = services.restriction_letter_issue(restriction=decided, actor=org.head,
                                              why="Different words")
    assert again.pk == first.pk
    assert services.document_read(document=again, actor=org.head) == original
    assert b"99 New Road" not in original
    assert StoredDocument.objects.count() == 1


def test_the_frozen_context_renders_the_same_bytes_again(org, decided):
    """Everything the letter says is in its context: rendering it again is byte-identical."""
    document = services.restriction_letter_issue(restriction=decided, actor=org.manager,
                                                 why=WHY)
    stored = documents_storage().open(document.file.name).read()
    again = render_pdf(template=document.template, context=document.context,
                       language=document.language, reference=document.reference,
                       titles={"en": document.title})
    assert again == stored


def test_the_pdf_is_tagged_with_title_and_language(org, decided):
    document = services.restriction_letter_issue(restriction=decided, actor=org.manager,
                                                 why=WHY)
    reader = pdf_reader(documents_storage().open(document.file.name).read())
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == "How we will deal with you from now on"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])  # the title, not a file name
    assert {"/H1", "/H2", "/P", "/L", "/LI"} <= structure_tags(
        documents_storage().open(document.file.name).read())
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (
        210, 297)  # A4


def test_a_damaged_file_is_refused_not_served(org, decided):
    document = services.restriction_letter_issue(restriction=decided, actor=org.manager,
                                                 why=WHY)
    path = documents_storage().path(document.file.name)
    with open(path, "ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(services.DocumentIntegrityError):
        services.document_read(document=document, actor=org.manager)


def test_decision_letter_needs_why_in_plain_words(org, decided):
    with pytest.raises(ValidationError) as error:
        services.restriction_letter_issue(restriction=decided, actor=org.manager, why="  ")
    assert "plain words" in str(error.value)
    assert not StoredDocument.objects.exists()


def test_no_letter_before_a_decision(org):
    restriction = rs.restriction_create(
        requested_by=org.manager, customer=org.customer, kind="restriction", submit=True,
        proposal=rs.Proposal(start_date=timezone.localdate(), grounds="x",
                             terms=[Term.WRITTEN_ONLY]))
    with pytest.raises(ValidationError, match="no decision"):
        services.restriction_letter_issue(restriction=restriction, actor=org.manager, why=WHY)


def test_no_letter_without_a_postal_address(org, decided):
    org.customer.address = ""
    org.customer.save()
    with pytest.raises(ValidationError, match="postal address"):
        services.restriction_letter_issue(restriction=decided, actor=org.manager, why=WHY)


@pytest.mark.parametrize("who", ["caseworker", "compliance", "admin", "other_hod", "superuser"])
def test_only_managers_of_the_record_issue_letters(org, decided, who):
    """Deny by default; a superuser without a role is refused too."""
    with pytest.raises(PermissionDenied):
        services.restriction_letter_issue(restriction=decided, actor=getattr(org, who),
                                          why=WHY)
    assert not StoredDocument.objects.exists()


@pytest.mark.parametrize("who", ["manager", "senior", "head"])
def test_managers_of_the_record_issue_letters(org, decided, who):
    document = services.restriction_letter_issue(restriction=decided, actor=getattr(org, who),
                                                 why=WHY)
    assert document.issued_by == getattr(org, who)


def test_adjustment_letter(org):
    adjustment = decide(org, kind="adjustment")
    document = services.restriction_letter_issue(restriction=adjustment, actor=org.manager,
                                                 why="So you can deal with us by email.")
    assert document.kind == DocumentKind.ADJUSTMENT_AGREED
    text = pdf_text(documents_storage().open(document.file.name).read())
    assert "You told us about your needs (Hearing difficulty)" in text
    assert "made this decision under our Reasonable Adjustments Policy" in text
    assert "We will contact you by email instead of by telephone." in text
    assert "ask for a review" not in text  # adjustments are not appealed


def test_renewed_lifted_and_expired_letters(org, decided):
    review = timezone.localdate() + dt_days(60)
    rs.restriction_renew(restriction=decided, actor=org.head, review_date=review,
                         reason="Calls continued.")
    renewed = services.restriction_letter_issue(restriction=decided, actor=org.manager,
                                                why="You kept calling about the closed case.")
    assert renewed.kind == DocumentKind.RESTRICTION_RENEWED
    text = pdf_text(documents_storage().open(renewed.file.name).read())
    assert f"We will review this again by {_long(review)}" in text
    assert "The last day to ask for a review" in text
    rs.restriction_lift(restriction=decided, actor=org.head, reason="Behaviour improved.")
    lifted = services.restriction_letter_issue(restriction=decided, actor=org.manager)
    assert lifted.kind == DocumentKind.RESTRICTION_LIFTED
    assert "We have lifted the restriction" in pdf_text(
        documents_storage().open(lifted.file.name).read())
    other = decide(org)
    rs.restriction_expire(restriction=other, actor=org.head)
    expired = services.restriction_letter_issue(restriction=other, actor=org.manager)
    assert expired.kind == DocumentKind.RESTRICTION_EXPIRED
    assert "ended on" in pdf_text(documents_storage().open(expired.file.name).read())


def dt_days(n):
    import datetime as dt

    return dt.timedelta(days=n)


def test_appeal_outcome_letter(org, decided):
    from restrictions import services_followup as followup

    services.restriction_letter_issue(restriction=decided, actor=org.manager, why=WHY)
    appeal = followup.appeal_record(restriction=decided, actor=org.manager,
                                    received_on=timezone.localdate(),
                                    customer_grounds="I was only asking.")
    with pytest.raises(ValidationError, match="not been decided"):
        services.appeal_letter_issue(appeal=appeal, actor=org.manager)
    followup.appeal_decide(appeal=appeal, actor=org.other_hod, outcome="upheld",
                           reason="The behaviour continued after the warning.")
    document = services.appeal_letter_issue(appeal=appeal, actor=org.manager)
    text = pdf_text(documents_storage().open(document.file.name).read())
    assert "The decision stands." in text
    assert "The behaviour continued after the warning." in text
    assert "Ombudsman" in text


def test_an_expiry_by_the_beat_is_signed_by_the_issuer(org):
    restriction = decide(org)
    rs.restriction_expire(restriction=restriction)  # the beat: no actor
    document = services.restriction_letter_issue(restriction=restriction, actor=org.manager)
    assert document.context["signatory"]["name"] == "Morgan Manager"


def test_the_signatory_title_is_worked_out_in_one_place(org):
    from documents.people import signatory_title

    assert signatory_title(org.head, org.dept) == "Head of Department"
    org.head.job_title = "Director of Customer Contact"
    assert signatory_title(org.head, org.dept) == "Director of Customer Contact"
    assert signatory_title(org.manager, org.dept) == org.manager.job_title

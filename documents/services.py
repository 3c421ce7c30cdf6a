"""Every write about stored documents: issue a letter, store a case-file copy, download.

A document is rendered once, when it is issued, from a frozen context; its file and the
SHA-256 of its bytes are kept, with who issued it. Issuing again returns the stored document
(the same bytes), never a new rendering. Who may act is checked here, against the rules in
``documents/rules.py`` and the source record's own app; a superuser is not exempt
(``rules.has_perm`` asks only the declared rules).
"""

import hashlib
import secrets

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from audit.services import audit_record
from core import extensions
from core.permissions import require
from documents import contexts, customers, people, selectors
from documents.constants import RENDER_LANGUAGES, DocumentKind, DocumentLanguage
from documents.models import StoredDocument, documents_storage
from documents.rendering import render_pdf


class DocumentIntegrityError(Exception):
    """The stored file is missing or its bytes no longer match the recorded SHA-256."""


def _new_document_reference() -> str:
    """A public reference such as ``DOC-7K3M9Q2P`` (no personal data in it)."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "DOC-" + "".join(secrets.choice(alphabet) for _ in range(8))


def _existing(*, kind: str, source, language: str) -> StoredDocument | None:
    return StoredDocument.objects.filter(
        kind=kind, source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk, language=language).first()


def _check_language(language: str) -> str:
    if language not in DocumentLanguage.values:
        raise ValidationError({"language": "Choose English, Welsh, or both"})
    return language


def _store(*, kind: str, source, customer, language: str, actor,
                   context: dict) -> StoredDocument:
    """Render the document once, store its file and hash, record who issued it.

    Idempotent: a document of this kind and language already made from ``source`` is
    returned as it is.
    """
    _check_language(language)
    found = _existing(kind=kind, source=source, language=language)
    if found is not None:
        return found
    reference = _new_document_reference()
    title = contexts.title(kind, context)
    titles = {}
    for lang in RENDER_LANGUAGES[language]:
        with translation.override(lang):
            titles[lang] = str(title)
    template = contexts.TEMPLATES[kind]
    pdf = render_pdf(template=template, context=context, language=language,
                     reference=reference, titles=titles)
    issued_at = timezone.now()
    name = documents_storage().save(f"{issued_at:%Y/%m}/{reference}.pdf", ContentFile(pdf))
    try:
        with transaction.atomic():
            document = StoredDocument.objects.create(
                reference=reference, kind=kind, language=language,
                title=" / ".join(titles.values()), customer=customer, source=source,
                file=name, sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf),
                template=template, context=context, issued_by=actor, issued_at=issued_at)
    except IntegrityError:
        # Someone issued the same document meanwhile: theirs stands, this file goes.
        documents_storage().delete(name)
        found = _existing(kind=kind, source=source, language=language)
        if found is None:
            raise
        return found
    audit_record(actor=actor, action="storeddocument.issued", target=document,
                 changes={"kind": kind, "language": language, "sha256": document.sha256,
                          "source": f"{document.source_type.model}:{source.pk}"})
    return document


# Letters about a restriction or adjustment (12) --------------------------------------------

def _letter_language(customer, language: str | None) -> str:
    """The customer's preference unless staff chose otherwise for this letter."""
    return _check_language(language or customers.preferred_language(customer))


@transaction.atomic
def restriction_letter_issue(*, restriction, actor, language: str | None = None,
                             why: str = "") -> StoredDocument:
    """Issue the letter telling the customer of the latest decision, and keep it (12).

    A decision or renewal letter records the letter as sent today (the "telling the
    customer" step) and its appeal deadline counts from that date; it says why, in plain
    words, and for a restriction how to appeal and by when.
    """
    from restrictions import services_followup as followup
    from restrictions.constants import ACTIVE
    from restrictions.models import Restriction

    require(actor, "restrictions.record_letter", restriction,
             "Only the managers of this record or its Head of Department can issue its "
             "letters.")
    restriction = (Restriction.objects.select_for_update(of=("self",))
                   .select_related("customer", "department", "decided_by",
                                   "point_of_contact").get(pk=restriction.pk))
    transition, kind = selectors.letter_occasion(restriction)
    if transition is None:
        raise ValidationError("There is no decision to tell the customer about yet: a letter "
                              "can be issued once the request is approved, renewed, lifted or "
                              "has expired.")
    language = _letter_language(restriction.customer, language)
    found = _existing(kind=kind, source=transition, language=language)
    if found is None:  # 10.1: signed with whoever made the move, or the issuer
        people.require_full_name(transition.actor or actor)
        if restriction.point_of_contact_id:  # the letter names them (single point of contact)
            people.require_full_name(restriction.point_of_contact,
                                     role="The single point of contact named in the terms")
    if found is not None:
        return found
    if kind in (DocumentKind.RESTRICTION_DECIDED, DocumentKind.ADJUSTMENT_AGREED,
                DocumentKind.RESTRICTION_RENEWED) and not why.strip():
        raise ValidationError({"why": "Say why, in plain words the customer will understand"})
    if not customers.address_lines(restriction.customer):
        raise ValidationError("The customer has no postal address recorded. Add it to their "
                              "record before issuing a letter.")
    letter_date = timezone.localdate()
    appeal_deadline = None
    if restriction.status in ACTIVE and kind != DocumentKind.RESTRICTION_EXPIRED:
        # The existing step: the letter is sent today, so the customer is told today ...
        restriction = followup.restriction_letter_record(restriction=restriction,
                                                         actor=actor, sent_on=letter_date)
        if not restriction.is_adjustment:
            # ... and the window to ask for a review counts from the letter's date.
            appeal_deadline = followup.appeal_deadline(restriction)
    context = contexts.restriction_letter(restriction=restriction, transition=transition,
                                          letter_date=letter_date, why=why,
                                          appeal_deadline=appeal_deadline, issuer=actor)
    return _store(kind=kind, source=transition, customer=restriction.customer,
                          language=language, actor=actor, context=context)


@transaction.atomic
def appeal_letter_issue(*, appeal, actor, language: str | None = None) -> StoredDocument:
    """Issue the letter telling the customer the outcome of their appeal, and keep it."""
    from restrictions.models import Appeal

    appeal = (Appeal.objects.select_for_update(of=("self",))
              .select_related("restriction__customer", "restriction__department",
                              "restriction__point_of_contact", "decided_by").get(pk=appeal.pk))
    require(actor, "restrictions.record_letter", appeal.restriction,
             "Only the managers of this record or its Head of Department can issue its "
             "letters.")
    if not appeal.outcome:
        raise ValidationError("This appeal has not been decided yet, so there is no outcome "
                              "to write about.")
    customer = appeal.restriction.customer
    language = _letter_language(customer, language)
    found = _existing(kind=DocumentKind.APPEAL_OUTCOME, source=appeal, language=language)
    if found is not None:
        return found
    people.require_full_name(appeal.decided_by)  # 10.1: the letter is signed by the decider
    if not customers.address_lines(customer):
        raise ValidationError("The customer has no postal address recorded. Add it to their "
                              "record before issuing a letter.")
    context = contexts.appeal_letter(appeal=appeal, letter_date=timezone.localdate())
    return _store(kind=DocumentKind.APPEAL_OUTCOME, source=appeal, customer=customer,
                          language=language, actor=actor, context=context)


# Case-file copies (8.1, 11.2) ---------------------------------------------------------------

@transaction.atomic
def calllog_copy_store(*, log, actor) -> StoredDocument:
    """8.1: the case-file copy of a terminated-call log, once it is fixed (given to the
    line manager). Idempotent."""
    from callogs.models import TerminatedCallLog

    log = (TerminatedCallLog.objects.select_related("author", "contact__customer")
           .get(pk=log.pk))
    if not extensions.system_actor_may(actor, "case_files"):
        require(actor, "callogs.place_in_case_file", log,
                "Only the author of this log or their line manager can file a copy of it.")
    if log.is_editable:  # a draft, or returned to its author to amend (issue 17)
        raise ValidationError("Give the log to your line manager first: the case-file copy "
                              "is made once the log is fixed.")
    return _store(kind=DocumentKind.TERMINATED_CALL_LOG, source=log,
                          customer=log.contact.customer, language=DocumentLanguage.ENGLISH,
                          actor=actor, context=contexts.terminated_call_log(log=log))


@transaction.atomic
def atrisk_note_store(*, report, actor) -> StoredDocument:
    """11.2: the telephone note of the threats, for the file of the ongoing case."""
    from atrisk.models import AtRiskReport

    report = (AtRiskReport.objects.select_related("raised_by", "customer", "case_reference")
              .get(pk=report.pk))
    if not extensions.system_actor_may(actor, "case_files"):
        require(actor, "atrisk.view_report", report,
                 "Only those who may see this report can file its telephone note.")
    if report.case_reference_id is None:
        raise ValidationError("This report is not about an ongoing case, so there is no case "
                              "file for a telephone note (11.2).")
    return _store(kind=DocumentKind.ATRISK_TELEPHONE_NOTE, source=report,
                          customer=report.customer, language=DocumentLanguage.ENGLISH,
                          actor=actor, context=contexts.atrisk_telephone_note(report=report))


# Reading a stored document ------------------------------------------------------------------

def document_read(*, document: StoredDocument, actor) -> bytes:
    """The stored bytes, exactly as issued, for someone allowed; each download audited."""
    require(actor, "documents.download_document", document,
             "You cannot open this document.")
    data = _checked_bytes(document)
    audit_record(actor=actor, action="storeddocument.downloaded", target=document,
                 changes={"sha256": document.sha256})
    return data


def case_file_copy_for_system(*, source, actor) -> tuple[StoredDocument, bytes]:
    """8.1, 11.2: the stored case-file PDF of a terminated-call log or an at-risk report, for
    the case-management system (an API client with the cases scope, never a member of staff:
    staff open documents with ``document_read``). Made now if it was not stored yet, so the
    case file always gets the stored bytes; the hash is checked and the read audited."""
    from atrisk.models import AtRiskReport

    if not extensions.system_actor_may(actor, "case_files"):
        raise PermissionDenied("Only the case-management system can collect case-file "
                               "copies here.")
    if isinstance(source, AtRiskReport):
        document = atrisk_note_store(report=source, actor=actor)
    else:
        document = calllog_copy_store(log=source, actor=actor)
    data = _checked_bytes(document)
    audit_record(actor=actor, action="storeddocument.downloaded", target=document,
                 changes={"sha256": document.sha256, "by": "case-management system"})
    return document, data


def _checked_bytes(document: StoredDocument) -> bytes:
    try:
        with documents_storage().open(document.file.name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError as missing:
        raise DocumentIntegrityError("The stored file is missing.") from missing
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise DocumentIntegrityError("The stored file does not match its recorded hash.")
    return data

"""Documents follow their record's retention (issue 18): the PDF file goes with the row, and
a case-file copy about a caller no one identified is swept too."""

import datetime as dt
import io

from django.core.management import call_command
from django.utils import timezone

from documents import services
from documents.models import StoredDocument
from privacy import registry, sweep
from tests.callogs.factories import SubmittedLogFactory, TerminatedContactFactory

LONG_AGO = dt.timedelta(days=7 * 365)


def _copy(org, customer):
    extra = {} if customer is not None else {"case_reference": None}
    contact = TerminatedContactFactory(customer=customer, staff=org.caseworker, **extra)
    log = SubmittedLogFactory(contact=contact, author=org.caseworker,
                              caller_name="Alex Morgan", staff_name="Casey Worker",
                              reason="Swore at me twice.")
    return services.calllog_copy_store(log=log, actor=org.caseworker)


def _age(document, customer=None):
    """Seven years old: the document, its contact (its case closed) and its customer."""
    from contacts.models import CaseReference

    then = timezone.now() - LONG_AGO
    CaseReference.objects.filter(pk=document.source.contact.case_reference_id).update(
        is_open=False)
    StoredDocument.objects.filter(pk=document.pk).update(issued_at=then)
    document.source.contact.__class__.objects.filter(pk=document.source.contact_id).update(
        started_at=then, ended_at=then)
    if customer is not None:
        customer.__class__.objects.filter(pk=customer.pk).update(created_at=then)


def test_the_retention_run_deletes_the_pdf_file_with_its_row(
        org, documents_store, django_capture_on_commit_callbacks):
    document = _copy(org, org.customer)
    path = documents_store / document.file.name
    assert path.is_file()
    assert path.read_bytes().startswith(b"%PDF")
    _age(document, org.customer)
    with django_capture_on_commit_callbacks(execute=True):
        done = sweep.apply(timezone.now())
    assert done["documents.StoredDocument"] == 1
    assert not StoredDocument.objects.filter(pk=document.pk).exists()
    assert not path.exists()  # no PDF left behind in storage


def test_a_run_rolled_back_keeps_the_file(org, documents_store,
                                          django_capture_on_commit_callbacks):
    """The file is deleted on commit only: a batch that fails keeps both row and file."""
    document = _copy(org, org.customer)
    path = documents_store / document.file.name
    _age(document, org.customer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sweep.apply(timezone.now())
    assert path.exists()  # nothing committed yet
    for callback in callbacks:
        callback()
    assert not path.exists()


def test_deleting_a_document_any_other_way_deletes_its_file(
        org, documents_store, django_capture_on_commit_callbacks):
    document = _copy(org, org.customer)
    path = documents_store / document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        StoredDocument.objects.filter(pk=document.pk).delete()
    assert not path.exists()


def test_a_file_field_blanked_by_anonymising_does_not_leave_its_file(
        org, documents_store, django_capture_on_commit_callbacks, monkeypatch):
    """An *anonymise* rule naming a file field removes the file before blanking the name."""
    import dataclasses

    document = _copy(org, org.customer)
    path = documents_store / document.file.name
    _age(document, org.customer)
    rule = registry.rule_for("documents.StoredDocument")
    anonymising = dataclasses.replace(rule, action=registry.ANONYMISE,
                                      placeholders={"file": "removed.pdf", "context": {}})
    monkeypatch.setitem(registry.RULES, rule.model, anonymising)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep.apply_rule(anonymising, timezone.now()) == 1
    document.refresh_from_db()
    assert document.file.name == "removed.pdf"
    assert not path.exists()


def test_a_case_file_copy_with_no_customer_is_swept_on_its_own_date(
        org, documents_store, django_capture_on_commit_callbacks):
    old, recent = _copy(org, None), _copy(org, None)
    assert old.customer is None
    assert recent.customer is None
    _age(old)
    rule = registry.rule_for("documents.StoredDocument")
    pending = set(sweep.pending(rule, timezone.now()).values_list("pk", flat=True))
    assert pending == {old.pk}
    with django_capture_on_commit_callbacks(execute=True):
        sweep.apply_rule(rule, timezone.now())
    assert list(StoredDocument.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not (documents_store / old.file.name).exists()
    assert (documents_store / recent.file.name).exists()


def test_the_dry_run_counts_the_orphan_copy(org, documents_store):
    old = _copy(org, None)
    _age(old)
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    line = next(x for x in out.getvalue().splitlines() if "documents.StoredDocument" in x)
    assert " 1 " in f" {line} " or "1 " in line
    assert StoredDocument.objects.filter(pk=old.pk).exists()
    assert (documents_store / old.file.name).exists()


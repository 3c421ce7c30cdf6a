"""PDF/UA-1 (ISO 14289-1) checks on every kind of generated document, so a screen reader can
read it (issue 22). WeasyPrint writes them with ``pdf_variant="pdf/ua-1"``; these checks read
the produced file with pypdf and would fail for an untagged PDF (the last test proves it).

Checked, per document: the XMP metadata declares ``pdfuaid:part=1`` and a ``dc:title`` equal
to the document's title; the catalogue has ``/Lang``, ``/MarkInfo /Marked true``, a structure
tree with a parent tree, ``/ViewerPreferences /DisplayDocTitle true``; every page's tab order
follows the structure (``/Tabs /S``); every font is embedded; every figure has alternative
text; the structure holds real headings and paragraphs."""

import re

import pypdf
import pytest

from contacts.models import CaseReference
from documents import services
from documents.models import documents_storage
from documents.rendering import render_html
from tests.atrisk.factories import AtRiskReportFactory
from tests.callogs.factories import SubmittedLogFactory, TerminatedContactFactory
from tests.documents.conftest import pdf_reader, structure_tags

WHY = "You shouted at our staff on three calls."


def pdf_ua_problems(data: bytes, *, title: str, lang: str) -> list[str]:
    reader = pdf_reader(data)
    root = reader.trailer["/Root"]
    problems = []
    xmp = (root["/Metadata"].get_object().get_data().decode()
           if "/Metadata" in root else "")
    if not re.search(r'pdfuaid:part\s*=\s*"1"|<pdfuaid:part>1</pdfuaid:part>', xmp):
        problems.append("no pdfuaid:part=1 in the XMP metadata")
    if f">{title}<" not in xmp:
        problems.append("the XMP dc:title is not the document's title")
    if root.get("/Lang") != lang:
        problems.append(f"/Lang is {root.get('/Lang')!r}, not {lang!r}")
    if not bool(root.get("/MarkInfo", {}).get("/Marked")):
        problems.append("not marked as tagged")
    tree = root.get("/StructTreeRoot")
    if tree is None or "/ParentTree" not in tree.get_object():
        problems.append("no structure tree with a parent tree")
    if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle")):
        problems.append("the viewer shows the file name, not the title")
    if reader.metadata is None or reader.metadata.title != title:
        problems.append("the document information title differs")
    for number, page in enumerate(reader.pages, start=1):
        if page.get("/Tabs") != "/S":
            problems.append(f"page {number}: tab order does not follow the structure")
        fonts = page.get("/Resources", {}).get("/Font", {})
        for name, font in fonts.items():
            font = font.get_object()
            descendants = font.get("/DescendantFonts") or [font]
            for part in descendants:
                descriptor = part.get_object().get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor is not None else {}
                if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    problems.append(f"page {number}: font {name} is not embedded")
    if tree is not None:
        pending = [tree]
        while pending:
            node = pending.pop().get_object()
            if isinstance(node, pypdf.generic.DictionaryObject):
                if node.get("/S") == "/Figure" and not node.get("/Alt"):
                    problems.append("a figure has no alternative text")
                kids = node.get("/K")
                if isinstance(kids, pypdf.generic.ArrayObject):
                    pending += list(kids)
                elif kids is not None:
                    pending.append(kids)
    if tree is not None and not {"/H1", "/P"} <= structure_tags(data):
        problems.append("no heading and paragraph structure")
    return problems


def _bytes(document) -> bytes:
    return documents_storage().open(document.file.name).read()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_restriction_letters_are_pdf_ua(org, decided, language):
    document = services.restriction_letter_issue(restriction=decided, actor=org.manager,
                                                 language=language, why=WHY)
    assert pdf_ua_problems(_bytes(document), title=document.title, lang=language) == []


def test_the_call_log_copy_is_pdf_ua(org):
    contact = TerminatedContactFactory(customer=org.customer, staff=org.caseworker)
    log = SubmittedLogFactory(contact=contact, author=org.caseworker, caller_name="Alex",
                              staff_name="Casey Worker", reason="Swore at me.")
    document = services.calllog_copy_store(log=log, actor=org.caseworker)
    assert pdf_ua_problems(_bytes(document), title=document.title, lang="en") == []


def test_the_at_risk_telephone_note_is_pdf_ua(org):
    case = CaseReference.objects.create(reference="RFA0099000", customer=org.customer)
    report = AtRiskReportFactory(raised_by=org.caseworker, customer=org.customer,
                                 case_reference=case, case_note="Advised 999.")
    document = services.atrisk_note_store(report=report, actor=org.caseworker)
    assert pdf_ua_problems(_bytes(document), title=document.title, lang="en") == []


def test_an_untagged_rendering_of_the_same_letter_fails_the_checks(org, decided):
    """The checks can fail: the same HTML written as a plain PDF is not PDF/UA."""
    from django.conf import settings
    from weasyprint import HTML

    document = services.restriction_letter_issue(restriction=decided, actor=org.manager,
                                                 why=WHY)
    html = render_html(template=document.template, context=document.context,
                       language=document.language, reference=document.reference,
                       titles={"en": document.title})
    plain = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    problems = pdf_ua_problems(plain, title=document.title, lang="en")
    assert "no pdfuaid:part=1 in the XMP metadata" in problems
    assert "no structure tree with a parent tree" in problems

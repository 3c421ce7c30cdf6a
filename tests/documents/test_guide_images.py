"""The guide's pictures of letters and copies are real PDFs, rendered page 1 with pdftoppm.

Each kind of document is issued through its service on a fixed day with a fixed reference,
so the PDFs (and the PNGs drawn from them) come out the same on every run; the images in
docs/guide/images/ change only when a template or its Welsh text does.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.conf import settings

from callogs import services as callog_services
from contacts.models import CaseReference
from documents import services
from documents.models import documents_storage
from restrictions import services as rs
from restrictions import services_followup as followup
from tests.atrisk.factories import AtRiskReportFactory
from tests.callogs.factories import SubmittedLogFactory, TerminatedContactFactory
from tests.documents.conftest import decide, pdf_text

IMAGES = Path(settings.BASE_DIR) / "docs" / "guide" / "images"
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"
DAY = "2026-03-02 10:00:00+00:00"  # a Monday


def _png(document, name: str, tmp_path) -> Path:
    """Page 1 of the stored PDF as docs/guide/images/<name>.png (pdftoppm, 60 dpi)."""
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(documents_storage().open(document.file.name).read())
    subprocess.run([PDFTOPPM, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(tmp_path / name)], check=True, timeout=60)
    target = IMAGES / f"{name}.png"
    shutil.copyfile(tmp_path / f"{name}.png", target)
    return target


@pytest.fixture
def fixed_references(monkeypatch):
    numbers = iter(range(1, 100))
    monkeypatch.setattr(services, "_new_document_reference",
                        lambda: f"DOC-GUIDE{next(numbers):03d}")


def test_one_page_of_each_document_as_a_guide_image(org, tmp_path, fixed_references):
    org.customer.reference = "CUS-GUIDE001"
    org.customer.save()
    why = "You shouted at our staff on three calls and did not stop when asked."
    with time_machine.travel(DAY, tick=False):
        decided = decide(org)
        made = {
            "letter-restriction-decided": services.restriction_letter_issue(
                restriction=decided, actor=org.manager, language="en", why=why),
            "letter-restriction-decided-welsh": services.restriction_letter_issue(
                restriction=decided, actor=org.manager, language="cy", why=why),
        }
        adjustment = decide(org, kind="adjustment")
        made["letter-adjustment-agreed"] = services.restriction_letter_issue(
            restriction=adjustment, actor=org.manager,
            why="So that you can deal with us without using the telephone.")
        appeal = followup.appeal_record(restriction=decided, actor=org.manager,
                                        received_on=decided.start_date,
                                        customer_grounds="I was only asking about my case.")
        followup.appeal_decide(appeal=appeal, actor=org.other_hod, outcome="upheld",
                               reason="The calls continued after the warning.")
        made["letter-appeal-outcome"] = services.appeal_letter_issue(appeal=appeal,
                                                                     actor=org.manager)
        rs.restriction_lift(restriction=decided, actor=org.head, reason="Calls stopped.")
        made["letter-restriction-lifted"] = services.restriction_letter_issue(
            restriction=decided, actor=org.manager)
        contact = TerminatedContactFactory(customer=org.customer, staff=org.caseworker,
                                           case_reference=CaseReference.objects.create(
                                               reference="RFA0012345", customer=org.customer))
        log = SubmittedLogFactory(contact=contact, author=org.caseworker,
                                  caller_name="Alex Morgan", staff_name="Casey Worker",
                                  reason="Swore at me twice after a warning; I ended the call.")
        callog_services.calllog_place_in_case_file(log=log, actor=org.caseworker)
        made["casefile-terminated-call-log"] = log_copy = services.calllog_copy_store(
            log=log, actor=org.caseworker)
        report = AtRiskReportFactory(raised_by=org.caseworker, customer=org.customer,
                                     case_reference=contact.case_reference,
                                     caller_phone="07700 900123", case_note="Advised 999.")
        made["casefile-atrisk-telephone-note"] = services.atrisk_note_store(
            report=report, actor=org.caseworker)
    assert "Your name Casey Worker" in pdf_text(
        documents_storage().open(log_copy.file.name).read())
    for name, document in made.items():
        image = _png(document, name, tmp_path)
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert image.stat().st_size > 5_000, name  # a page with text, not a blank

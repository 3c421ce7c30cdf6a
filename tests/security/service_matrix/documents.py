"""Letters and case-file copies (issue 22). ``manager`` of department A requested the
restriction that ``hod`` decided; ``caseworker`` wrote the log and raised the report."""

from documents import services as s
from tests.security.permission_matrix import CHAIN
from tests.security.service_matrix import Acts

WHY = "You shouted at our staff on three calls."

SERVICES = {
    # 12: the record's managers tell the customer
    "documents.services.restriction_letter_issue": Acts(CHAIN, lambda w, a: (
        s.restriction_letter_issue(restriction=w.letter_ready_restriction, actor=a, why=WHY))),
    "documents.services.appeal_letter_issue": Acts(CHAIN, lambda w, a: s.appeal_letter_issue(
        appeal=w.letter_ready_appeal, actor=a)),
    # 8.1: the log's author or their line manager
    "documents.services.calllog_copy_store": Acts(
        frozenset({"caseworker", "manager"}), lambda w, a: s.calllog_copy_store(
            log=w.submitted_log, actor=a)),
    # 11.2: whoever may see the report
    "documents.services.atrisk_note_store": Acts(
        frozenset({"caseworker", "senior", "compliance"}), lambda w, a: s.atrisk_note_store(
            report=w.case_report, actor=a)),
    # a letter opens to those who see the record's grounds or manage it, and Compliance
    "documents.services.document_read": Acts(
        CHAIN | {"compliance", "other_hod"}, lambda w, a: s.document_read(
            document=w.stored_letter, actor=a)),
    # 8.1, 11.2: for the case-management system (an API client's account) only; every member
    # of staff is refused (tests/api/test_case_file.py proves the client's side)
    "documents.services.case_file_copy_for_system": Acts(
        frozenset(), lambda w, a: s.case_file_copy_for_system(source=w.submitted_log, actor=a),
        why="the API client's account only"),
}

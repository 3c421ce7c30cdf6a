"""Who may open a stored document. Deny by default; a superuser is not exempt.

A document is as private as the record it was made from: a letter opens to those who see
the restriction's grounds or manage it (12), the terminated-call log's copy to its author,
their line manager and Compliance (8.1, subject access), the at-risk telephone note to those
who may see the report (11). Services call ``rules.has_perm`` (the declared rules only), so a
Django superuser without a role is refused like anyone else.
"""

import rules

from accounts.rules import is_compliance, is_staff_member
from documents.constants import DocumentKind


def source_restriction(document):
    """The restriction a letter is about (its source is a transition or an appeal)."""
    return getattr(document.source, "restriction", None)


@rules.predicate
def may_see_source(user, document) -> bool:
    if document is None or document.source is None:
        return False
    if document.kind == DocumentKind.TERMINATED_CALL_LOG:
        return rules.has_perm("callogs.view_log", user, document.source)
    if document.kind == DocumentKind.ATRISK_TELEPHONE_NOTE:
        return rules.has_perm("atrisk.view_report", user, document.source)
    restriction = source_restriction(document)
    return restriction is not None and (
        rules.has_perm("restrictions.view_grounds", user, restriction)
        or rules.has_perm("restrictions.record_letter", user, restriction))


rules.add_perm("documents.download_document", is_staff_member & (may_see_source | is_compliance))

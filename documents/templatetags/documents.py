"""Documents on the pages of the records they come from: ``{% load documents %}``.

Each tag lists the stored documents the user may open and offers the next action (issue a
letter, keep a case-file copy) when the user may take it; the rules are the services' own.
"""

import rules
from django import template

from documents import selectors
from documents.constants import DocumentKind

register = template.Library()


@register.inclusion_tag("documents/_record_documents.html", takes_context=True)
def restriction_documents(context, restriction) -> dict:
    """Letters about a restriction or adjustment and its appeals (12)."""
    user = context["request"].user
    may_issue = rules.has_perm("restrictions.record_letter", user, restriction)
    transition, kind = selectors.letter_occasion(restriction) if may_issue else (None, None)
    appeals = [a for a in restriction.appeals.all() if a.outcome] if may_issue else []
    return {
        "documents": selectors.for_restriction(restriction, user),
        "heading": "Letters to the customer",
        "issue_url": ("documents:restriction_letter", restriction.pk) if transition else None,
        "issue_label": f"Issue the {DocumentKind(kind).label.lower()} (PDF)" if kind else "",
        "appeals": appeals,
        "request": context["request"],
    }


@register.inclusion_tag("documents/_record_documents.html", takes_context=True)
def calllog_documents(context, log) -> dict:
    """8.1: the case-file copy of a terminated-call log."""
    user = context["request"].user
    documents = selectors.for_source(log, user)
    may_copy = (not documents and not log.is_editable
                and rules.has_perm("callogs.view_log", user, log))
    return {"documents": documents, "heading": "Case-file copy (PDF)",
            "copy_url": ("documents:calllog_copy", log.pk) if may_copy else None,
            "copy_label": "Keep a PDF copy for the case file", "request": context["request"]}


@register.inclusion_tag("documents/_record_documents.html", takes_context=True)
def atrisk_documents(context, report) -> dict:
    """11.2: the telephone note of the threats for the case file of an ongoing case."""
    user = context["request"].user
    documents = selectors.for_source(report, user)
    may_copy = (not documents and report.case_reference_id is not None
                and rules.has_perm("atrisk.view_report", user, report))
    return {"documents": documents, "heading": "Telephone note for the case file (PDF)",
            "copy_url": ("documents:atrisk_note", report.pk) if may_copy else None,
            "copy_label": "Keep the telephone note for the case file",
            "request": context["request"]}

"""Reads of stored documents: for a customer's page, and for the record a copy came from."""

import rules
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch

from documents.constants import DocumentKind
from documents.models import StoredDocument


def _with_sources(queryset):
    from atrisk.models import AtRiskReport
    from callogs.models import TerminatedCallLog
    from restrictions.models import Appeal, RestrictionTransition

    return queryset.select_related("issued_by", "source_type").prefetch_related(
        GenericPrefetch("source", [
            RestrictionTransition.objects.select_related("restriction__department"),
            Appeal.objects.select_related("restriction__department"),
            TerminatedCallLog.objects.select_related("author"),
            AtRiskReport.objects.all(),
        ]))


def visible(documents, user) -> list[StoredDocument]:
    """The documents ``user`` may open, in their order (the same rule as the download)."""
    return [d for d in documents if rules.has_perm("documents.download_document", user, d)]


def for_customer(customer, user) -> list[StoredDocument]:
    """Every letter and copy kept for ``customer`` that ``user`` may open, newest first."""
    return visible(_with_sources(StoredDocument.objects.filter(customer=customer)), user)


def for_source(source, user) -> list[StoredDocument]:
    """The documents made from one record (a log, a report, a restriction's transitions)."""
    return visible(_with_sources(StoredDocument.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk)), user)


def for_restriction(restriction, user) -> list[StoredDocument]:
    """The letters about a restriction or adjustment: from its transitions and appeals."""
    from restrictions.models import Appeal, RestrictionTransition

    transitions = ContentType.objects.get_for_model(RestrictionTransition)
    appeals = ContentType.objects.get_for_model(Appeal)
    queryset = StoredDocument.objects.filter(
        source_type=transitions,
        source_id__in=restriction.transitions.values("pk")) | StoredDocument.objects.filter(
        source_type=appeals, source_id__in=restriction.appeals.values("pk"))
    return visible(_with_sources(queryset), user)


# The transition a letter tells the customer about -> the kind of letter.
LETTER_FOR_ACTION = {"approve": None, "renew": DocumentKind.RESTRICTION_RENEWED,
                     "lift": DocumentKind.RESTRICTION_LIFTED,
                     "expire": DocumentKind.RESTRICTION_EXPIRED}


def letter_occasion(restriction):
    """The latest decision the customer is to be told about, and its kind of letter.

    ``(None, None)`` when there is nothing to write about (a request not yet decided, or
    refused, returned or withdrawn).
    """
    transition = (restriction.transitions.filter(action__in=list(LETTER_FOR_ACTION))
                  .select_related("actor").order_by("-occurred_at", "-id").first())
    if transition is None:
        return None, None
    kind = LETTER_FOR_ACTION[transition.action]
    if kind is None:
        kind = (DocumentKind.ADJUSTMENT_AGREED if restriction.is_adjustment
                else DocumentKind.RESTRICTION_DECIDED)
    return transition, kind

"""Reads of stored documents: for a customer's page, and for the record a copy came from."""

import rules
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Q

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


def visible_q(user) -> Q:
    """``documents.download_document`` as a filter on ``StoredDocument``, so a list can be cut
    to what ``user`` may open before it is paginated (the customer's history, issue 16).
    ``tests/documents/test_visible_q.py`` checks it agrees with the rule for every role."""
    from accounts.constants import Role
    from accounts.selectors import acting_in_force
    from atrisk.selectors import reports_visible_to
    from callogs.models import TerminatedCallLog
    from contacts.visibility import staff_below
    from restrictions.models import Appeal, Restriction, RestrictionTransition

    nothing = Q(pk__in=[])
    if not getattr(user, "is_authenticated", False) or not user.role_names:
        return nothing  # is_staff_member
    if user.has_role(Role.COMPLIANCE):
        return Q()
    # callogs.view_log: the author, their line manager, a manager up their chain (8.1)
    logs = Q(author=user) | Q(author__line_manager=user)
    if user.has_role(Role.LINE_MANAGER, Role.SENIOR_STAFF, Role.HEAD_OF_DEPARTMENT):
        logs |= Q(author_id__in=staff_below(user))
    log_ids = TerminatedCallLog.objects.filter(logs).values("pk")
    # restrictions.view_grounds | restrictions.record_letter (12): senior staff and Heads
    # see every letter; otherwise those who manage the record.
    restrictions = Restriction.objects.all()
    if not user.has_role(Role.SENIOR_STAFF, Role.HEAD_OF_DEPARTMENT):
        manages = Q(requested_by=user) | Q(department_id__in=acting_in_force().filter(
            acting_head=user).values("department_id"))
        if (user.has_role(Role.LINE_MANAGER, Role.SENIOR_STAFF, Role.HEAD_OF_DEPARTMENT)
                and user.department_id is not None):
            manages |= Q(department_id=user.department_id)
        restrictions = restrictions.filter(manages)
    letters = (
        Q(source_type=ContentType.objects.get_for_model(RestrictionTransition),
          source_id__in=RestrictionTransition.objects.filter(
              restriction__in=restrictions).values("pk"))
        | Q(source_type=ContentType.objects.get_for_model(Appeal),
            source_id__in=Appeal.objects.filter(restriction__in=restrictions).values("pk")))
    return (
        (Q(kind=DocumentKind.TERMINATED_CALL_LOG) & Q(source_id__in=log_ids))
        | (Q(kind=DocumentKind.ATRISK_TELEPHONE_NOTE)
           & Q(source_id__in=reports_visible_to(user).values("pk")))
        | (~Q(kind__in=[DocumentKind.TERMINATED_CALL_LOG, DocumentKind.ATRISK_TELEPHONE_NOTE])
           & letters))


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

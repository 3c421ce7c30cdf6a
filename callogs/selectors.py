"""Reads for terminated-call logs: a fixed number of queries per page."""

from django.apps import apps
from django.db.models import BigIntegerField, Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast

from callogs.constants import KIND_CALLLOG_SUBMITTED, LogStatus
from callogs.models import TerminatedCallLog


def logs_for_author(user) -> QuerySet[TerminatedCallLog]:
    """The staff member's own logs, drafts (still to complete) first (8.1)."""
    return (
        TerminatedCallLog.objects.filter(author=user)
        .select_related("contact")
        .annotate(draft_first=Case(
            When(status__in=[LogStatus.DRAFT, LogStatus.RETURNED], then=Value(0)),
            default=Value(1), output_field=IntegerField()))
        .order_by("draft_first", "-call_at", "-id")
    )


def review_queue(manager) -> QuerySet[TerminatedCallLog]:
    """Logs given to ``manager`` by their own team, or given or escalated to them from
    further down their chain (line manager away, review overdue), not yet discussed (8.2).

    The author and the caller (the contact's customer) are joined: the queue shows who took
    the call, who called and when (issue 24).

    The two sources are one UNION of log ids: the team's waiting logs through the
    (author, status) index, one team member at a time, and the given ones by primary key.
    Written as ``author__line_manager=manager OR pk IN (...)`` the OR could use no index,
    and PostgreSQL read every log waiting in the organisation: a cost that grew with the
    organisation, not with the manager's team (issue 23's growth figures;
    tests/callogs/test_review_queue_plan.py).
    """
    from notifications.models import DueItem

    team = (TerminatedCallLog.objects.filter(author__line_manager=manager,
                                             status=LogStatus.SUBMITTED)
            .order_by().values("pk"))
    given = DueItem.objects.filter(
        Q(recipient=manager) | Q(escalated_to=manager), kind=KIND_CALLLOG_SUBMITTED,
        completed_at__isnull=True, cancelled_at__isnull=True,
    ).annotate(log_id=Cast("target_id", BigIntegerField())).order_by().values("log_id")
    return (
        TerminatedCallLog.objects.filter(pk__in=team.union(given), status=LogStatus.SUBMITTED)
        .select_related("author", "contact__customer")
        .order_by("submitted_at", "id")
    )


def log_detail(pk: int) -> TerminatedCallLog:
    """One log with what its page shows; raises DoesNotExist."""
    return TerminatedCallLog.objects.select_related(
        "author", "contact", "contact__customer", "placed_in_case_file_by",
        "review", "review__reviewer",
    ).get(pk=pk)


def steps_for(contact) -> list:
    """The guided handling steps recorded on ``contact`` (7), oldest first.

    The contacts app adds ``HandlingStep`` in its own issue; until it exists this returns [].
    """
    try:
        step_model = apps.get_model("contacts", "HandlingStep")
    except LookupError:
        return []
    # The model's own Meta.ordering (oldest first) applies.
    return list(step_model.objects.filter(contact=contact))


def behaviour_history(contact) -> list:
    """Each classification of the contact, with who recorded it and when (5)."""
    return list(contact.behaviour_changes.select_related("recorded_by"))

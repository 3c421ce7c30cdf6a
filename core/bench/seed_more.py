"""Bench seeders for the later apps: restrictions and adjustments, terminated-call logs.

Registered in ``core.bench.seeding.EXTRA_SEEDERS`` so ``seed_bench`` writes them after the
contacts. Restrictions on ~0.5% of customers, adjustments on ~2%, 40 requests waiting for the
bench Head of Department, and a log for every terminated contact: most of the older ones
already discussed by the author's line manager (8.2), the recent ones still waiting.
"""

import datetime as dt

from django.db import connection
from django.utils import timezone

from accounts.models import User
from callogs.constants import LogStatus
from callogs.models import LogReview, TerminatedCallLog
from core.bench import seeding
from core.bench.scenarios import head_of_department
from restrictions.constants import Kind, Status, Term
from restrictions.models import Restriction

WAITING_REQUESTS = 40
# 8.2: a line manager discusses a terminated call within days. Logs of calls older than this
# are seeded as reviewed, except one in BACKLOG_EVERY (a manager's backlog); newer ones wait.
REVIEWED_AFTER = dt.timedelta(days=14)
BACKLOG_EVERY = 50


def _restrictions(plan: seeding.Plan, *, hod: User, requester: User, base: int):
    today = timezone.localdate()
    now = timezone.now()
    n = waiting_so_far = 0
    for k in range(plan.customers):
        if k % 200 == 3:
            kind, terms, adjustments, need = Kind.RESTRICTION, [Term.WRITTEN_ONLY], [], ""
        elif k % 50 == 11:
            kind, terms, adjustments, need = (Kind.ADJUSTMENT, [], ["email_not_phone"],
                                              "Hearing difficulty")
        else:
            continue
        waiting = kind == Kind.RESTRICTION and waiting_so_far < WAITING_REQUESTS
        waiting_so_far += waiting
        n += 1
        yield {
            "id": base + n, "customer_id": seeding._customer_id(plan, k), "kind": kind,
            "status": Status.SUBMITTED if waiting else Status.APPROVED,
            "requested_by_id": requester.pk, "department_id": requester.department_id,
            "grounds": "Repeated abusive calls about a closed case.", "terms": terms,
            "adjustments": adjustments, "need": need,
            # Started in the last 90 days; reviewed 120-180 days after the start: within the
            # six months 12.1 allows a restriction, and still in force today.
            "start_date": today - dt.timedelta(days=k % 90),
            "review_date": today - dt.timedelta(days=k % 90) + dt.timedelta(days=120 + k % 61),
            "submitted_at": now - dt.timedelta(days=k % 90),
            "decided_by_id": None if waiting else hod.pk,
            "decided_at": None if waiting else now - dt.timedelta(days=k % 90),
            "created_at": now, "updated_at": now,
        }


def restrictions(plan: seeding.Plan):
    # Query before the COPY starts: one connection cannot run queries during a COPY.
    hod = head_of_department()
    requester = User.objects.filter(username__startswith="bench-manager-").order_by("id").first()
    rows = _restrictions(plan, hod=hod, requester=requester, base=seeding._max_id(Restriction))
    expected = plan.customers // 200 + plan.customers // 50
    return seeding.copy_rows(Restriction, rows, expected)


def log_is_reviewed(*, log_id: int, call_at: dt.datetime, has_line_manager: bool,
                    now: dt.datetime) -> bool:
    """The seed's rule for which submitted logs have been discussed (the same rule, in SQL,
    fixed the rows of databases seeded before it: see docs/PERFORMANCE.md)."""
    return (has_line_manager and call_at < now - REVIEWED_AFTER
            and log_id % BACKLOG_EVERY != 0)


def reviewed_at(*, log_id: int, submitted_at: dt.datetime) -> dt.datetime:
    """Discussed one to ten days after it was given to the line manager."""
    return submitted_at + dt.timedelta(days=1 + log_id % 10)


def _call_log_rows(plan: seeding.Plan, terminated: list, line_managers: dict, base: int):
    for i, (contact_id, staff_id, started, reason) in enumerate(terminated, start=1):
        log_id = base + i
        submitted = started + dt.timedelta(minutes=20)
        reviewed = log_is_reviewed(log_id=log_id, call_at=started, now=plan.now,
                                   has_line_manager=line_managers.get(staff_id) is not None)
        yield {
            "id": log_id, "contact_id": contact_id, "author_id": staff_id,
            "call_at": started, "reason": reason or "Abusive language after a warning.",
            "staff_name": "Bench Caseworker",
            "status": LogStatus.REVIEWED if reviewed else LogStatus.SUBMITTED,
            "created_at": started, "submitted_at": submitted,
            "reviewed_at": reviewed_at(log_id=log_id, submitted_at=submitted) if reviewed
            else None,
        }


def call_logs(plan: seeding.Plan):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.id, c.staff_id, c.started_at, c.termination_reason FROM contacts_contact c "
            "WHERE c.id > %s AND c.terminated AND NOT EXISTS "
            "(SELECT 1 FROM callogs_terminatedcalllog l WHERE l.contact_id = c.id)",
            [plan.base["contacts.Contact"]])
        terminated = cursor.fetchall()
    # Bench managers take calls too; with no line manager, their logs stay waiting.
    line_managers = dict(User.objects.filter(pk__in=plan.staff_ids)
                         .values_list("id", "line_manager_id"))
    rows = _call_log_rows(plan, terminated, line_managers, seeding._max_id(TerminatedCallLog))
    return seeding.copy_rows(TerminatedCallLog, rows, len(terminated))


def log_reviews(plan: seeding.Plan):
    """The line manager's review (8.2) behind each log the seed marked as reviewed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.id, u.line_manager_id, l.reviewed_at FROM callogs_terminatedcalllog l "
            "JOIN accounts_user u ON u.id = l.author_id "
            "WHERE l.status = %s AND u.line_manager_id IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM callogs_logreview r WHERE r.log_id = l.id) ORDER BY l.id",
            [LogStatus.REVIEWED])
        reviewed = cursor.fetchall()
    base = seeding._max_id(LogReview)
    rows = (
        {"id": base + n, "log_id": log_id, "reviewer_id": manager_id,
         "discussed_on": timezone.localdate(when), "staff_clear_about_circumstances": True,
         "effect_on_staff": "Upset at first; fine after a break.",
         "advice_and_support": "Took a short break; reminded of the support available.",
         "restriction_request_intended": False, "welfare_follow_up_requested": False,
         "reviewed_at": when}
        for n, (log_id, manager_id, when) in enumerate(reviewed, start=1)
    )
    return seeding.copy_rows(LogReview, rows, len(reviewed))


seeding.EXTRA_SEEDERS.extend([("restrictions", restrictions),
                              ("terminated-call logs", call_logs), ("log reviews", log_reviews)])

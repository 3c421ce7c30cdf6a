"""Bench seeders for the later apps: restrictions and adjustments, terminated-call logs.

Registered in ``core.bench.seeding.EXTRA_SEEDERS`` so ``seed_bench`` writes them after the
contacts. Restrictions on ~0.5% of customers, adjustments on ~2%, 40 requests waiting for the
bench Head of Department, and a submitted log for every terminated contact.
"""

import datetime as dt

from django.db import connection
from django.utils import timezone

from accounts.models import User
from callogs.constants import LogStatus
from callogs.models import TerminatedCallLog
from core.bench import seeding
from core.bench.scenarios import head_of_department
from restrictions.constants import Kind, Status, Term
from restrictions.models import Restriction

WAITING_REQUESTS = 40


def _restrictions(plan: seeding.Plan, *, hod: User, requester: User, base: int):
    today = timezone.localdate()
    now = timezone.now()
    n = 0
    for k in range(plan.customers):
        if k % 200 == 3:
            kind, terms, adjustments, need = Kind.RESTRICTION, [Term.WRITTEN_ONLY], [], ""
        elif k % 50 == 11:
            kind, terms, adjustments, need = (Kind.ADJUSTMENT, [], ["email_not_phone"],
                                              "Hearing difficulty")
        else:
            continue
        waiting = n < WAITING_REQUESTS and kind == Kind.RESTRICTION
        n += 1
        yield {
            "id": base + n, "customer_id": seeding._customer_id(plan, k), "kind": kind,
            "status": Status.SUBMITTED if waiting else Status.APPROVED,
            "requested_by_id": requester.pk, "department_id": requester.department_id,
            "grounds": "Repeated abusive calls about a closed case.", "terms": terms,
            "adjustments": adjustments, "need": need,
            "start_date": today - dt.timedelta(days=k % 90),
            "review_date": today + dt.timedelta(days=30 + k % 150),
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


def call_logs(plan: seeding.Plan):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.id, c.staff_id, c.started_at, c.termination_reason FROM contacts_contact c "
            "WHERE c.id > %s AND c.terminated AND NOT EXISTS "
            "(SELECT 1 FROM callogs_terminatedcalllog l WHERE l.contact_id = c.id)",
            [plan.base["contacts.Contact"]])
        terminated = cursor.fetchall()
    base = seeding._max_id(TerminatedCallLog)
    rows = (
        {"id": base + i, "contact_id": contact_id, "author_id": staff_id,
         "call_at": started, "reason": reason or "Abusive language after a warning.",
         "staff_name": "Bench Caseworker", "status": LogStatus.SUBMITTED,
         "created_at": started, "submitted_at": started + dt.timedelta(minutes=20)}
        for i, (contact_id, staff_id, started, reason) in enumerate(terminated, start=1)
    )
    return seeding.copy_rows(TerminatedCallLog, rows, len(terminated))


seeding.EXTRA_SEEDERS.extend([("restrictions", restrictions), ("terminated-call logs",
                                                                 call_logs)])

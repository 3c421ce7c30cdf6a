"""Reads for "Your work", the team and department dashboards (8.2, 12, 14.2).

Every queue is ONE query: the first few items plus the total, counted by a window function
(``COUNT(*) OVER ()``) on the same rows, so the home page costs a fixed number of queries
whatever the data (one per queue the user's roles show, plus the role lookup).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum, Window
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from accounts.constants import Role
from accounts.models import Department, User
from atrisk.constants import ReportStatus
from atrisk.models import VitalInterestsDisclosure
from atrisk.selectors import reports_visible_to
from callogs.constants import LogStatus
from callogs.models import TerminatedCallLog
from callogs.selectors import review_queue
from contacts.constants import Behaviour, CallbackStatus, FlagStatus, ReviewStatus
from contacts.models import Callback, Contact, PersistentContactFlag, WrittenCommentReview
from dashboards import rollup
from dashboards.models import RestrictionSpan
from notifications.models import InboxEntry
from restrictions.constants import ACTIVE, Kind, Status
from restrictions.models import UNTIL, Restriction
from restrictions.selectors import in_force, reviews_due_for, to_decide_for
from welfare.constants import FollowUpStatus
from welfare.models import WelfareFollowUp
from welfare.selectors import follow_ups_to_hold

FIRST_FEW = 5

MANAGERS = (Role.LINE_MANAGER, Role.SENIOR_STAFF, Role.HEAD_OF_DEPARTMENT)


@dataclass
class Item:
    text: str
    url: str
    when: datetime | date | None = None
    overdue: bool = False
    when_label: str = "Due"

    @property
    def when_text(self) -> str:
        if self.when is None:
            return ""
        if isinstance(self.when, datetime):
            return f"{self.when_label} {timezone.localtime(self.when):%d %b %Y %H:%M}"
        return f"{self.when_label} {self.when:%d %b %Y}"


@dataclass
class Queue:
    """One kind of work: its total and the first few items, each linking to its page."""

    key: str
    title: str
    paragraph: str
    all_url: str
    total: int = 0
    items: list[Item] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for i in self.items if i.overdue)


def _first_few(qs: QuerySet) -> tuple[list, int]:
    """The first rows of ``qs`` and the total number of rows, in one query."""
    rows = list(qs.annotate(dashboard_total=Window(Count("pk")))[:FIRST_FEW])
    return rows, (rows[0].dashboard_total if rows else 0)


def _name(user: User | None) -> str:
    if user is None:
        return "someone"
    return user.get_full_name() or user.username


# What a queue item shows of a customer (``str(customer)``): reading only these columns keeps
# each queue's query small to build as well as to run.
CUSTOMER_NAME = ("given_name", "family_name", "reference")


def _customer_fields(path: str) -> list[str]:
    return [f"{path}__{name}" for name in CUSTOMER_NAME]


def _user_fields(path: str) -> list[str]:
    """What ``_name`` reads of a member of staff."""
    return [f"{path}__{name}" for name in ("first_name", "last_name", "username")]


_SENTINEL = 987654321
_LINKS: dict[tuple, str] = {}


def _link(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])``, reversing each name once per URL prefix and URLconf:
    a queue links every item to the same view, and reversing is the slow part."""
    key = (name, get_script_prefix(), get_urlconf())
    pattern = _LINKS.get(key)
    if pattern is None:
        pattern = _LINKS[key] = reverse(name, args=[_SENTINEL])
    return pattern.replace(str(_SENTINEL), str(int(pk)), 1)


def _customer(obj) -> str:
    customer = getattr(obj, "customer", None)
    return str(customer) if customer is not None else "an unknown caller"


def _queue(key, title, paragraph, all_url, qs, describe) -> Queue:
    rows, total = _first_few(qs)
    return Queue(key=key, title=title, paragraph=paragraph, all_url=all_url, total=total,
                 items=[describe(r) for r in rows])


def callbacks_queue(user: User, now: datetime) -> Queue:
    qs = (Callback.objects.filter(assigned_to=user, status=CallbackStatus.ARRANGED)
          .select_related("contact__customer").order_by("due_at", "id")
          .only("due_at", "contact__id", *_customer_fields("contact__customer")))
    return _queue(
        "callbacks", "Callbacks due", "7.3, 9.1", reverse("contacts:queue"), qs,
        lambda cb: Item(f"Call back {_customer(cb.contact)}",
                        _link("contacts:contact_detail", cb.contact_id),
                        cb.due_at, cb.due_at < now))


def welfare_queue(user: User, now: datetime) -> Queue:
    return _queue(
        "welfare", "Welfare follow-ups to hold", "8.2, 14.2", reverse("welfare:home"),
        follow_ups_to_hold(user).only("due_at", *_user_fields("staff")),
        lambda f: Item(f"Welfare meeting with {_name(f.staff)}",
                       _link("welfare:follow_up_detail", f.pk), f.due_at,
                       f.due_at < now))


def logs_to_review_queue(user: User, now: datetime) -> Queue:
    return _queue(
        "logs_to_review", "Terminated-call logs to review", "8.2",
        reverse("callogs:review_queue"),
        review_queue(user).only("submitted_at", *_user_fields("author")),
        lambda log: Item(f"Log by {_name(log.author)}",
                         _link("callogs:review", log.pk), log.submitted_at,
                         when_label="Given to you"))


def draft_logs_queue(user: User, now: datetime) -> Queue:
    qs = (TerminatedCallLog.objects.filter(author=user, status=LogStatus.DRAFT)
          .order_by("call_at", "id"))
    return _queue(
        "draft_logs", "Your terminated-call logs to finish", "8.1", reverse("callogs:my_logs"),
        qs, lambda log: Item(f"Log of the call at {timezone.localtime(log.call_at):%d %b %H:%M}",
                             _link("callogs:log_edit", log.pk), log.call_at,
                             when_label="Call on"))


def to_decide_queue(user: User, now: datetime) -> Queue:
    return _queue(
        "to_decide", "Restriction and adjustment requests to decide", "7.2, 12",
        reverse("restrictions:to_decide"),
        to_decide_for(user).select_related(None).select_related("customer")
        .only("kind", "submitted_at", *_customer_fields("customer")),
        lambda r: Item(f"{r.get_kind_display()} for {_customer(r)}",
                       _link("restrictions:decide", r.pk), r.submitted_at,
                       when_label="Asked"))


def reviews_due_queue(user: User, now: datetime) -> Queue:
    today = timezone.localdate(now)
    return _queue(
        "reviews_due", "Restrictions and adjustments due for review", "12",
        reverse("restrictions:reviews_due"),
        reviews_due_for(user, today).select_related(None).select_related("customer")
        .only("kind", "review_date", *_customer_fields("customer")),
        lambda r: Item(f"{r.get_kind_display()} for {_customer(r)}",
                       _link("restrictions:review", r.pk), r.review_date,
                       r.review_date < today, when_label="Review by"))


def at_risk_queue(user: User, now: datetime) -> Queue:
    qs = reports_visible_to(user).filter(status=ReportStatus.RAISED).order_by("raised_at", "id")
    return _queue(
        "at_risk", "At-risk reports to acknowledge", "11.2", reverse("atrisk:report_list"), qs,
        lambda r: Item(f"At-risk report {r.pk} raised by {_name(r.raised_by)}",
                       _link("atrisk:report_detail", r.pk), r.raised_at,
                       when_label="Raised"))


def disclosures_queue(user: User, now: datetime) -> Queue:
    qs = (VitalInterestsDisclosure.objects.filter(registered_at__isnull=True)
          .order_by("disclosed_at", "id"))
    return _queue(
        "disclosures", "Disclosures to record in the register", "11.6",
        reverse("atrisk:register") + "?state=not_recorded", qs,
        lambda d: Item(f"Disclosure {d.pk} (at-risk report {d.report_id})",
                       reverse("atrisk:register") + "?state=not_recorded", d.disclosed_at,
                       when_label="Disclosed"))


def flags_queue(user: User, now: datetime) -> Queue:
    qs = (PersistentContactFlag.objects
          .filter(Q(manager=user) | Q(staff__line_manager=user), status=FlagStatus.OPEN)
          .select_related("customer").order_by("raised_at", "id")
          .only("raised_at", *_customer_fields("customer")))
    return _queue(
        "flags", "Persistent-contact flags to consider", "7.2", reverse("contacts:queue"), qs,
        lambda f: Item(f"Repeated contact from {f.customer}",
                       _link("contacts:flag_detail", f.pk), f.raised_at,
                       when_label="Raised"))


def written_reviews_queue(user: User, now: datetime) -> Queue:
    qs = (WrittenCommentReview.objects
          .filter(Q(manager=user) | Q(contact__staff__line_manager=user),
                  status=ReviewStatus.OPEN)
          .select_related("contact__customer").order_by("raised_at", "id")
          .only("raised_at", "contact__id", *_customer_fields("contact__customer")))
    return _queue(
        "written_reviews", "Written comments to agree a reply to", "7.6",
        reverse("contacts:queue"), qs,
        lambda r: Item(f"Written contact from {_customer(r.contact)}",
                       _link("contacts:review_detail", r.pk), r.raised_at,
                       when_label="Raised"))


def notifications_queue(user: User, now: datetime) -> Queue:
    qs = (InboxEntry.objects.filter(recipient=user, read_at__isnull=True)
          .order_by("-created_at", "-id"))
    return _queue(
        "notifications", "Unread notifications", "", reverse("notifications:inbox"), qs,
        lambda e: Item(e.text, e.link or reverse("notifications:inbox"), e.created_at,
                       when_label="Sent"))


# (roles that see the queue, builder). None: everyone with any role.
QUEUES = (
    (None, callbacks_queue),
    (None, draft_logs_queue),
    (MANAGERS, logs_to_review_queue),
    (MANAGERS, welfare_queue),
    (MANAGERS, flags_queue),
    (MANAGERS, written_reviews_queue),
    ((Role.HEAD_OF_DEPARTMENT,), to_decide_queue),
    (MANAGERS, reviews_due_queue),
    ((Role.SENIOR_STAFF,), at_risk_queue),
    ((Role.COMPLIANCE,), disclosures_queue),
)


def your_work(user: User, now: datetime | None = None) -> dict:
    """The queues of "Your work" for ``user``'s roles, and their unread notifications.

    The unread count is returned as ``notifications_unread`` so the page header reuses it
    rather than counting again.
    """
    now = now or timezone.now()
    queues = []
    if user.role_names:
        queues = [build(user, now) for roles, build in QUEUES
                  if roles is None or user.has_role(*roles)]
    inbox = notifications_queue(user, now)
    return {"queues": queues, "inbox": inbox, "notifications_unread": inbox.total}


# --- Line manager's team dashboard (8.2, 14.2) ----------------------------------------------


def _day_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(date_from, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1),
                                               datetime.min.time()))
    return start, end


def team_dashboard(manager: User, date_from: date, date_to: date,
                   now: datetime | None = None) -> dict:
    """The manager's own team (staff whose line manager they are): five aggregate queries."""
    now = now or timezone.now()
    start, end = _day_bounds(date_from, date_to)
    # One pass over the team's contacts: per behaviour class, how many and how many ended by
    # staff; totals are their sums. Nothing counts the id: every column read is in the
    # covering index contact_staff_started_cover, so PostgreSQL need not visit the table.
    per_class = (Contact.objects.filter(staff__line_manager=manager, started_at__gte=start,
                                        started_at__lt=end)
                 .values_list("behaviour")
                 .annotate(n=Count("*"),
                           ended=Count("terminated", filter=Q(terminated=True)))
                 .order_by())
    by_class, contacts, terminated = {}, 0, 0
    for key, n, ended in per_class:
        contacts += n
        terminated += ended
        if key:
            by_class[key] = n
    behaviour = [{"key": b.value, "label": b.label, "count": by_class.get(b.value, 0)}
                 for b in Behaviour]
    # Only open logs: the (author, status) index, not every log the team ever wrote.
    pending = (TerminatedCallLog.objects
               .filter(author__line_manager=manager,
                       status__in=[LogStatus.SUBMITTED, LogStatus.DRAFT])
               .aggregate(pending=Count("pk", filter=Q(status=LogStatus.SUBMITTED)),
                          drafts=Count("pk", filter=Q(status=LogStatus.DRAFT))))
    follow_ups = WelfareFollowUp.objects.filter(
        manager=manager, status=FollowUpStatus.SCHEDULED).aggregate(
        due=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    callbacks = Callback.objects.filter(
        assigned_to__line_manager=manager, status=CallbackStatus.ARRANGED).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    flags = PersistentContactFlag.objects.filter(
        Q(manager=manager) | Q(staff__line_manager=manager), status=FlagStatus.OPEN).count()
    return {
        "behaviour": behaviour,
        "classified": sum(by_class.values()),
        "contacts": contacts,
        "terminated": terminated,
        "pending_reviews": pending["pending"],
        "draft_logs": pending["drafts"],
        "follow_ups_due": follow_ups["due"],
        "follow_ups_overdue": follow_ups["overdue"],
        "callbacks_open": callbacks["open"],
        "callbacks_overdue": callbacks["overdue"],
        "flags": flags,
    }


# --- Head of Department dashboard (7.2, 12) -------------------------------------------------


KEYS = ("waiting", "restrictions", "adjustments", "review_due")


def department_dashboard(user: User, today: date | None = None) -> dict:
    """Requests waiting, and records in force and due for review, by team (four queries on
    PostgreSQL, three elsewhere)."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.RESTRICTIONS_REVIEW_NOTICE_DAYS)
    departments = list(Department.objects.filter(Q(head=user) | Q(deputy=user)))
    if rollup.available():
        counts = _department_counts_from_spans(departments, today, horizon)
    else:
        counts = _department_counts(departments, today, horizon)
    # Each requester's team is their line manager's, in the order of the managers' names.
    requesters = (
        User.objects.filter(pk__in=counts)
        .order_by("line_manager__last_name", "line_manager__first_name", "line_manager", "pk")
        .values_list("pk", "line_manager", "line_manager__first_name",
                     "line_manager__last_name", "line_manager__username")
    )
    by_manager: dict[int | None, dict] = {}
    for pk, manager, first, last, username in requesters:
        if manager not in by_manager:
            name = (" ".join(p for p in (first, last) if p) or username
                    if manager else "No line manager")
            by_manager[manager] = {"name": name, **dict.fromkeys(KEYS, 0)}
        for k in KEYS:
            by_manager[manager][k] += counts[pk][k]
    teams = [t for t in by_manager.values() if any(t[k] for k in KEYS)]
    totals = {k: sum(t[k] for t in teams) for k in KEYS}
    return {"departments": departments, "teams": teams, "totals": totals,
            "horizon_days": settings.RESTRICTIONS_REVIEW_NOTICE_DAYS}


def _department_counts(departments: list[Department], today: date,
                       horizon: date) -> dict[int, dict]:
    """Per requester: waiting, in force today by kind, due for review (one query)."""
    waiting = Q(status=Status.SUBMITTED)
    # Only the records that count (waiting, or in force today), so the in-force test runs
    # once per row and each count's own test is simple; grouped by requester, an integer, so
    # no join runs over every record. Waiting records are never in force (not ACTIVE).
    per_requester = (
        Restriction.objects.filter(waiting | in_force(today), department__in=departments)
        .values("requested_by")
        .annotate(
            waiting=Count("pk", filter=waiting),
            restrictions=Count("pk", filter=~waiting & Q(kind=Kind.RESTRICTION)),
            adjustments=Count("pk", filter=~waiting & Q(kind=Kind.ADJUSTMENT)),
            review_due=Count("pk", filter=~waiting & Q(review_date__lte=horizon)),
        )
        .order_by()
    )
    return {row["requested_by"]: row for row in per_requester}


def _department_counts_from_spans(departments: list[Department], today: date,
                                  horizon: date) -> dict[int, dict]:
    """``_department_counts`` from the months records span (``RestrictionSpan``): two
    queries, neither reading every record in force.

    The spans give the active records in force at some time this month; of those, the ones
    not in force today start later this month or stopped earlier this month, and are taken
    away. Waiting requests and reviews due are few, and read from their indexes.
    """
    month = today.replace(day=1)
    month_end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    spans = (RestrictionSpan.objects
             .filter(department__in=departments, first_month__lte=month, last_month__gte=month)
             .exclude(active_restriction=0, active_adjustment=0)
             .values("requested_by")
             .annotate(restrictions=Sum("active_restriction"),
                       adjustments=Sum("active_adjustment"))
             .order_by())
    waiting = Q(status=Status.SUBMITTED)
    not_today = Q(status__in=sorted(ACTIVE)) & (
        Q(start_date__gt=today, start_date__lte=month_end)
        | Q(in_force_until__gte=month, in_force_until__lt=today))
    due = in_force(today) & Q(review_date__lte=horizon)
    direct = (Restriction.objects.alias(in_force_until=UNTIL)
              .filter(waiting | not_today | due, department__in=departments)
              .values("requested_by")
              .annotate(waiting=Count("pk", filter=waiting),
                        restrictions=-Count("pk", filter=not_today & Q(kind=Kind.RESTRICTION)),
                        adjustments=-Count("pk", filter=not_today & Q(kind=Kind.ADJUSTMENT)),
                        review_due=Count("pk", filter=due))
              .order_by())
    counts: dict[int, dict] = {}
    for row in [*spans, *direct]:
        mine = counts.setdefault(row["requested_by"], dict.fromkeys(KEYS, 0))
        for key in KEYS:
            mine[key] += row.get(key, 0)
    return {pk: c for pk, c in counts.items() if any(c.values())}

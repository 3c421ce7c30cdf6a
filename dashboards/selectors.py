"""Reads for "Your work", the team and department dashboards (8.2, 12, 14.2).

Every queue is ONE query: the first few items plus the total, counted by a window function
(``COUNT(*) OVER ()``) on the same rows, so the home page costs a fixed number of queries
whatever the data (one per queue the user's roles show, plus the role lookup). Each queue's
SQL is compiled once per user, role set and day (``_compiled``).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
    Window,
)
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from accounts.constants import Role
from accounts.models import Department, User, staff_name
from accounts.selectors import departments_headed_by
from atrisk.constants import ReportStatus
from atrisk.models import VitalInterestsDisclosure
from atrisk.selectors import reports_visible_to
from callogs.constants import LogStatus
from callogs.models import TerminatedCallLog
from callogs.selectors import review_queue
from contacts.constants import Behaviour, CallbackStatus, FlagStatus, ReviewStatus
from contacts.models import (
    Callback,
    Contact,
    Customer,
    CustomerPhone,
    PersistentContactFlag,
    WrittenCommentReview,
)
from dashboards import rollup
from dashboards.models import RestrictionSpan
from notifications.models import InboxEntry
from notifications.subjects import subjects_for_targets
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
    detail: str = ""  # after the link: the number to call, for a callback
    # A notification's record (content type id, id): who it is about is read for the whole
    # card at once (``notifications.subjects``), not stored in the text (issue 16).
    subject_of: tuple | None = None

    @property
    def when_text(self) -> str:
        if self.when is None:
            return ""
        if isinstance(self.when, datetime):
            return f"{self.when_label} {timezone.localtime(self.when):%d %b %Y %H:%M}"
        return f"{self.when_label} {self.when:%d %b %Y}"


def _age(delta: timedelta) -> str:
    """A plain-English length of time: "3 days", "5 hours", "less than an hour"."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds >= 2 * 86400:
        return f"{seconds // 86400} days"
    if seconds >= 86400:
        return "1 day"
    if seconds >= 2 * 3600:
        return f"{seconds // 3600} hours"
    if seconds >= 3600:
        return "1 hour"
    return "less than an hour"


# How urgent a queue is, most urgent first (issue 24): something overdue, something due
# today, something waiting, nothing.
OVERDUE, DUE_TODAY, WAITING, EMPTY = range(4)


@dataclass
class Queue:
    """One kind of work: its total, how many are overdue and due today, its oldest item's
    date, and the first few items, each linking to its page."""

    key: str
    title: str
    paragraph: str
    all_url: str
    total: int = 0
    items: list[Item] = field(default_factory=list)
    overdue: int = 0  # of the whole queue, not only the first few
    due_today: int = 0  # due later today (not yet overdue)
    oldest: datetime | date | None = None  # the earliest date of the queue's items
    deadline: bool = False  # ``oldest`` is a due date (else the date the item arrived)
    now: datetime | None = None

    @property
    def urgency(self) -> int:
        if not self.total:
            return EMPTY
        if self.overdue:
            return OVERDUE
        if self.due_today:
            return DUE_TODAY
        return WAITING

    def _oldest_at(self) -> datetime | None:
        if self.oldest is None:
            return None
        if isinstance(self.oldest, datetime):
            return self.oldest
        return timezone.make_aware(datetime.combine(self.oldest, datetime.min.time()))

    @property
    def sort_key(self) -> tuple:
        """Most urgent first; within the same urgency, the longest waiting first."""
        oldest = self._oldest_at()
        return (self.urgency, oldest.timestamp() if oldest else 0.0)

    @property
    def oldest_text(self) -> str:
        """The age of the oldest item: "oldest overdue by 3 days", "oldest waiting 2 hours"."""
        oldest = self._oldest_at()
        if oldest is None or self.now is None:
            return ""
        if self.deadline:
            if self.overdue:
                return f"oldest overdue by {_age(self.now - oldest)}"
            if self.due_today:
                return "first due today"
            return f"first due in {_age(oldest - self.now)}"
        return f"oldest waiting {_age(self.now - oldest)}"


def _staff(row: dict, path: str) -> str:
    """The member of staff at ``path`` in a queue row, or "someone" when there is none."""
    if row[f"{path}__username"] is None:
        return "someone"
    return staff_name(row[f"{path}__first_name"], row[f"{path}__last_name"],
                      row[f"{path}__username"])


# What a queue item shows of a customer (``str(customer)``) and of a member of staff: reading
# only these columns keeps each queue's query small to build as well as to run.
CUSTOMER_NAME = ("given_name", "family_name", "reference")


def _customer_fields(path: str) -> list[str]:
    return [f"{path}__{name}" for name in CUSTOMER_NAME]


def _user_fields(path: str) -> list[str]:
    """What ``_staff`` reads of a member of staff."""
    return [f"{path}__{name}" for name in ("first_name", "last_name", "username")]


def _customer(names: bool, row: dict, path: str, caller_name: str = "") -> str:
    """``str(customer)`` from the row's columns, or "an unknown caller" (10.1).

    ``names`` is False for someone who may not see customers (``contacts.view_customer``):
    they read "a customer" (issue 16: names within the permission rules)."""
    if row[f"{path}__reference"] is None:
        if names and caller_name:
            return f"{caller_name} (not matched to a customer)"
        return "an unknown caller"
    if not names:
        return "a customer"
    return str(Customer(**{name: row[f"{path}__{name}"] for name in CUSTOMER_NAME}))


def _first_phone(path: str) -> Subquery:
    """The customer's first phone number (the number to call back), in the same query."""
    return Subquery(CustomerPhone.objects.filter(customer=OuterRef(path))
                    .order_by("id").values("number")[:1])


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


# --- Reading a queue: its SQL built once per user, role set and day ---------------------------
#
# A queue's query depends only on who is asking (their id, and their roles where a selector
# branches on them) and on today's date; building and compiling it with the ORM costs two to
# three times as much as running it. So each query is compiled once per (queue, user, roles,
# day) and process, and later requests run the same SQL. Nothing is cached but SQL text and
# its parameters: every request reads the rows afresh. A builder must therefore read nothing
# of the user but these (``_sql_key``); tests compare every queue with the ORM's answer.

_COMPILED: dict[tuple, "CompiledQueue | None"] = {}
_COMPILED_MAX = 4096  # entries; emptied when full (a day's users fit many times over)


@receiver(setting_changed)
def _forget_compiled(**kwargs) -> None:
    """Settings are read while building (the review notice period): tests change them."""
    _COMPILED.clear()


def _sql_key(key: str, user: User, today: date, fields: tuple[str, ...]) -> tuple:
    return (key, fields, user.pk, frozenset(user.role_names), today, connection.alias)


@dataclass(frozen=True)
class CompiledQueue:
    """A queue's SQL and what turns its rows into dicts as ``values()`` would."""

    sql: str
    params: tuple
    names: list[str]
    # Column position -> the backend's converters and the column's expression (SQLite reads
    # dates as text; PostgreSQL needs none for these columns).
    converters: dict
    now_at: tuple[int, ...] = ()  # positions of the ``_NOW`` parameter

    def rows(self, now: datetime | None = None) -> list[dict]:
        params = self.params
        if self.now_at:
            params = list(params)
            value = connection.ops.adapt_datetimefield_value(now or timezone.now())
            for position in self.now_at:
                params[position] = value
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        result = []
        for values in fetched:
            values = list(values)
            for position, (converters, expression) in self.converters.items():
                for converter in converters:
                    values[position] = converter(values[position], expression, connection)
            result.append(dict(zip(self.names, values, strict=True)))
        return result


# Stands for "now" in a queue's compiled SQL: the parameter is replaced by the time of the
# request each time the SQL runs (the SQL is kept all day; "now" is not).
_NOW = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)


def _windows(model_field, when: str, deadline: bool, today: date) -> dict:
    """The whole queue's figures, computed over the same rows as its first few items
    (window functions over the whole result, so still one query): its oldest date and, for a
    queue of deadlines, how many are overdue and how many are due later today. "Today" ends
    at the local midnight after ``today`` (part of the SQL's cache key)."""
    windows = {"dashboard_total": Window(Count("pk")),
               "dashboard_oldest": Window(Min(when))}
    if deadline:
        tomorrow = today + timedelta(days=1)
        if isinstance(model_field, DateField) and not isinstance(model_field, DateTimeField):
            late, by_tonight = Q(**{f"{when}__lt": today}), Q(**{f"{when}": today})
        else:
            midnight = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
            late = Q(**{f"{when}__lt": _NOW})
            by_tonight = Q(**{f"{when}__gte": _NOW, f"{when}__lt": midnight})
        windows["dashboard_overdue"] = Window(Sum(Case(When(late, then=1), default=0,
                                                       output_field=IntegerField())))
        windows["dashboard_due_today"] = Window(Sum(Case(When(by_tonight, then=1), default=0,
                                                         output_field=IntegerField())))
    return windows


def _compiled(key: str, user: User, today: date, build: Callable[[], QuerySet],
              fields: tuple[str, ...], when: str = "", deadline: bool = False
              ) -> CompiledQueue | None:
    """The queue's compiled SQL; None when it can match nothing."""
    cache_key = _sql_key(key, user, today, fields)
    try:
        return _COMPILED[cache_key]
    except KeyError:
        pass
    queryset = build()
    if when:
        windows = _windows(_resolve_field(queryset.model, when), when, deadline, today)
    else:
        windows = {"dashboard_total": Window(Count("pk"))}
    query = queryset.values(*fields, **windows)[:FIRST_FEW].query
    compiler = query.get_compiler(connection.alias)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        compiled = None
    else:
        columns = [column for column, _sql, _alias in compiler.select[:compiler.col_count]]
        sentinels = (_NOW, connection.ops.adapt_datetimefield_value(_NOW))
        compiled = CompiledQueue(
            sql, tuple(params),
            # Django 5.2 keeps values() columns in the order asked for (``selected``), an
            # annotation named among the fields (a callback's ``phone``) included
            (list(query.selected) if getattr(query, "selected", None) else
             [*query.extra_select, *query.values_select, *query.annotation_select]),
            compiler.get_converters(columns),
            tuple(i for i, p in enumerate(params) if any(p == x for x in sentinels)))
    if len(_COMPILED) >= _COMPILED_MAX:
        _COMPILED.clear()
    _COMPILED[cache_key] = compiled
    return compiled


def _resolve_field(model, path: str):
    """The model field at ``path`` ("due_at", "contact__started_at")."""
    *links, last = path.split("__")
    for name in links:
        model = model._meta.get_field(name).related_model
    return model._meta.get_field(last)


def _first_few(key: str, user: User, today: date, build: Callable[[], QuerySet],
               fields: tuple[str, ...], when: str = "", deadline: bool = False,
               now: datetime | None = None) -> tuple[list[dict], dict]:
    """The first rows of the queue (as dicts of ``fields``) and the whole queue's figures
    (``total``, ``oldest``, ``overdue``, ``due_today``), in one query."""
    compiled = _compiled(key, user, today, build, fields, when, deadline)
    if compiled is None:
        return [], {"total": 0}
    rows = compiled.rows(now)
    if not rows:
        return rows, {"total": 0}
    first = rows[0]
    return rows, {"total": first["dashboard_total"], "oldest": first.get("dashboard_oldest"),
                  "overdue": first.get("dashboard_overdue") or 0,
                  "due_today": first.get("dashboard_due_today") or 0}


@dataclass(frozen=True)
class QueueDef:
    """One kind of work on "Your work": where its items come from and how each reads."""

    key: str
    title: str
    paragraph: str
    all_url: Callable[[], str]
    build: Callable[[User, date], QuerySet]  # the items, in order; reads only ``_sql_key``
    fields: tuple[str, ...]  # the columns ``describe`` reads
    describe: Callable[[dict, datetime, bool], Item]  # (row, now, may see customers' names)
    when: str = ""  # the field dating each item: its oldest is shown (issue 24)
    deadline: bool = False  # ``when`` is a due date: count overdue and due today

    def read(self, user: User, now: datetime, names: bool = True) -> Queue:
        today = timezone.localdate(now)
        rows, figures = _first_few(self.key, user, today, lambda: self.build(user, today),
                                   self.fields, self.when, self.deadline, now)
        oldest = figures.get("oldest")
        if isinstance(oldest, str):  # SQLite returns a window's date as text
            oldest = _parse_when(oldest)
        return Queue(key=self.key, title=self.title, paragraph=self.paragraph,
                     all_url=self.all_url(), total=figures["total"],
                     items=[self.describe(row, now, names) for row in rows],
                     overdue=figures.get("overdue", 0), due_today=figures.get("due_today", 0),
                     oldest=oldest, deadline=self.deadline, now=now)


def _parse_when(text: str) -> datetime | date | None:
    from django.utils.dateparse import parse_date, parse_datetime

    parsed = parse_datetime(text)
    if parsed is not None:
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(
            parsed, timezone.get_fixed_timezone(0))
    return parse_date(text)


def _kind(row: dict) -> str:
    return str(Kind(row["kind"]).label)


CALLBACKS = QueueDef(
    "callbacks", "Callbacks due", "7.3, 9.1", lambda: reverse("contacts:queue"),
    lambda user, today: (Callback.objects.filter(assigned_to=user,
                                                 status=CallbackStatus.ARRANGED)
                         .annotate(phone=_first_phone("contact__customer"))
                         .order_by("due_at", "id")),
    ("due_at", "contact_id", "phone", "contact__caller_name",
     *_customer_fields("contact__customer")),
    lambda r, now, names: Item(
        f"Call back {_customer(names, r, 'contact__customer', r['contact__caller_name'])}",
        _link("contacts:contact_detail", r["contact_id"]), r["due_at"], r["due_at"] < now,
        detail=f"on {r['phone']}" if names and r["phone"] else ""),
    when="due_at", deadline=True
)

WELFARE = QueueDef(
    "welfare", "Welfare follow-ups to hold", "8.2, 14.2", lambda: reverse("welfare:home"),
    lambda user, today: follow_ups_to_hold(user),
    ("pk", "due_at", *_user_fields("staff")),
    lambda r, now, names: Item(f"Welfare meeting with {_staff(r, 'staff')}",
                        _link("welfare:follow_up_detail", r["pk"]), r["due_at"],
                        r["due_at"] < now),
    when="due_at", deadline=True
)

LOGS_TO_REVIEW = QueueDef(
    "logs_to_review", "Terminated-call logs to review", "8.2",
    lambda: reverse("callogs:review_queue"),
    lambda user, today: review_queue(user),
    ("pk", "submitted_at", "caller_name", *_user_fields("author"),
     *_customer_fields("contact__customer")),
    lambda r, now, names: Item(
        f"Log by {_staff(r, 'author')}: call from "
        f"{_customer(names, r, 'contact__customer', r['caller_name'])}",
        _link("callogs:review", r["pk"]), r["submitted_at"], when_label="Given to you"),
    when="submitted_at"
)

DRAFT_LOGS = QueueDef(
    "draft_logs", "Your terminated-call logs to finish", "8.1", lambda: reverse("callogs:my_logs"),
    lambda user, today: (TerminatedCallLog.objects.filter(author=user, status=LogStatus.DRAFT)
                         .order_by("call_at", "id")),
    ("pk", "call_at", "caller_name", *_customer_fields("contact__customer")),
    lambda r, now, names: Item(
        f"Log of the call from {_customer(names, r, 'contact__customer', r['caller_name'])} "
        f"at {timezone.localtime(r['call_at']):%d %b %H:%M}",
        _link("callogs:log_edit", r["pk"]), r["call_at"], when_label="Call on"),
    when="call_at"
)

TO_DECIDE = QueueDef(
    "to_decide", "Restriction and adjustment requests to decide", "7.2, 12",
    lambda: reverse("restrictions:to_decide"),
    lambda user, today: to_decide_for(user).select_related(None),
    ("pk", "kind", "submitted_at", *_customer_fields("customer")),
    lambda r, now, names: Item(f"{_kind(r)} for {_customer(names, r, 'customer')}",
                        _link("restrictions:decide", r["pk"]), r["submitted_at"],
                        when_label="Asked"),
    when="submitted_at"
)

REVIEWS_DUE = QueueDef(
    "reviews_due", "Restrictions and adjustments due for review", "12",
    lambda: reverse("restrictions:reviews_due"),
    lambda user, today: reviews_due_for(user, today).select_related(None),
    ("pk", "kind", "review_date", *_customer_fields("customer")),
    lambda r, now, names: Item(f"{_kind(r)} for {_customer(names, r, 'customer')}",
                        _link("restrictions:review", r["pk"]), r["review_date"],
                        r["review_date"] < timezone.localdate(now), when_label="Review by"),
    when="review_date", deadline=True
)

AT_RISK = QueueDef(
    "at_risk", "At-risk reports to acknowledge", "11.2", lambda: reverse("atrisk:report_list"),
    lambda user, today: (reports_visible_to(user).select_related(None)
                         .filter(status=ReportStatus.RAISED).order_by("raised_at", "id")),
    ("pk", "raised_at", *_user_fields("raised_by"), *_customer_fields("customer")),
    lambda r, now, names: Item(f"At-risk report {r['pk']} about "
                               f"{_customer(names, r, 'customer')}, raised by "
                               f"{_staff(r, 'raised_by')}",
                        _link("atrisk:report_detail", r["pk"]), r["raised_at"],
                        when_label="Raised"),
    when="raised_at"
)

DISCLOSURES = QueueDef(
    "disclosures", "Disclosures to record in the register", "11.6",
    lambda: reverse("atrisk:register") + "?state=not_recorded",
    lambda user, today: (VitalInterestsDisclosure.objects.filter(registered_at__isnull=True)
                         .order_by("disclosed_at", "id")),
    ("pk", "report_id", "disclosed_at", *_customer_fields("report__customer")),
    lambda r, now, names: Item(f"Disclosure {r['pk']} about "
                               f"{_customer(names, r, 'report__customer')} "
                               f"(at-risk report {r['report_id']})",
                        reverse("atrisk:register") + "?state=not_recorded", r["disclosed_at"],
                        when_label="Disclosed"),
    when="disclosed_at"
)

FLAGS = QueueDef(
    "flags", "Persistent-contact flags to consider", "7.2", lambda: reverse("contacts:queue"),
    lambda user, today: (PersistentContactFlag.objects
                         .filter(Q(manager=user) | Q(staff__line_manager=user),
                                 status=FlagStatus.OPEN).order_by("raised_at", "id")),
    ("pk", "raised_at", *_customer_fields("customer")),
    lambda r, now, names: Item(f"Repeated contact from {_customer(names, r, 'customer')}",
                        _link("contacts:flag_detail", r["pk"]), r["raised_at"],
                        when_label="Raised"),
    when="raised_at"
)

WRITTEN_REVIEWS = QueueDef(
    "written_reviews", "Written comments to agree a reply to", "7.6",
    lambda: reverse("contacts:queue"),
    lambda user, today: (WrittenCommentReview.objects
                         .filter(Q(manager=user) | Q(contact__staff__line_manager=user),
                                 status=ReviewStatus.OPEN).order_by("raised_at", "id")),
    ("pk", "raised_at", *_customer_fields("contact__customer")),
    lambda r, now, names: Item(f"Written contact from {_customer(names, r, 'contact__customer')}",
                        _link("contacts:review_detail", r["pk"]), r["raised_at"],
                        when_label="Raised"),
    when="raised_at"
)

NOTIFICATIONS = QueueDef(
    "notifications", "Unread notifications", "", lambda: reverse("notifications:inbox"),
    lambda user, today: (InboxEntry.objects.filter(recipient=user, read_at__isnull=True)
                         .order_by("-created_at", "-id")),
    ("text", "link", "created_at", "escalation", "due_item__target_type_id",
     "due_item__target_id", *_user_fields("due_item__recipient")),
    lambda r, now, names: Item(r["text"], r["link"] or reverse("notifications:inbox"),
                        r["created_at"], when_label="Sent",
                        detail=(f"given to {_staff(r, 'due_item__recipient')}"
                                if r["escalation"] else ""),
                        subject_of=(r["due_item__target_type_id"], r["due_item__target_id"])
                        if r["due_item__target_type_id"] else None),
    when="created_at"
)

# (roles that see the queue, queue). None: everyone with any role.
QUEUES = (
    (None, CALLBACKS),
    (None, DRAFT_LOGS),
    (MANAGERS, LOGS_TO_REVIEW),
    (MANAGERS, WELFARE),
    (MANAGERS, FLAGS),
    (MANAGERS, WRITTEN_REVIEWS),
    ((Role.HEAD_OF_DEPARTMENT,), TO_DECIDE),
    (MANAGERS, REVIEWS_DUE),
    ((Role.SENIOR_STAFF,), AT_RISK),
    ((Role.COMPLIANCE,), DISCLOSURES),
)


def _name_subjects(inbox: Queue, user: User) -> None:
    """Issue 16: each unread notification says who it is about, read from its record at
    display time within the permission rules (``notifications.subjects``): one query per
    kind of record among the first few, whatever the number of notifications."""
    targets = [item.subject_of for item in inbox.items if item.subject_of]
    if not targets:
        return
    subjects = subjects_for_targets(targets, user)
    for item in inbox.items:
        subject = subjects.get(item.subject_of) if item.subject_of else None
        if subject:
            item.detail = f"{item.detail}, about {subject}" if item.detail else f"about {subject}"


def your_work(user: User, now: datetime | None = None) -> dict:
    """The queues of "Your work" for ``user``'s roles, and their unread notifications.

    The unread count is returned as ``notifications_unread`` so the page header reuses it
    rather than counting again.
    """
    now = now or timezone.now()
    queues = []
    if user.role_names:
        names = user.has_perm("contacts.view_customer")
        queues = [queue.read(user, now, names) for roles, queue in QUEUES
                  if roles is None or user.has_role(*roles)]
    inbox = NOTIFICATIONS.read(user, now)
    _name_subjects(inbox, user)
    every = [*queues, inbox]
    # Issue 24: a to-do list, most urgent first (overdue, then due today, then the longest
    # waiting); the empty queues are named on one line.
    todo = sorted((q for q in every if q.total), key=lambda q: q.sort_key)
    return {"queues": queues, "inbox": inbox, "notifications_unread": inbox.total,
            "todo": todo, "nothing_in": [q.title for q in every if not q.total]}


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
    departments = list(departments_headed_by(user))
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
            name = staff_name(first, last, username) if manager else "No line manager"
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

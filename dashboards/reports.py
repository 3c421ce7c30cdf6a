"""Reports per month, team and channel (8.2, 12, 14): aggregated in the database.

Each report is one ``values(<group>).annotate(<series>=Count(..., filter=...))`` query: the
database groups and counts, Python only lays out the handful of aggregated rows. Staff see
only their scope (``report_scope``): a line manager their own team, a Head of Department
(or acting Head) the departments they head, Compliance and senior staff everything.
"""

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_

from django.db.models import Aggregate, Count, F, Model, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Least, TruncMonth
from django.utils import timezone
from django.utils.html import escape, format_html_join

from accounts.constants import Role
from accounts.models import Department, User, staff_name
from accounts.selectors import departments_headed_by
from contacts.constants import Behaviour, CallbackStatus, Channel
from contacts.models import Callback, Contact
from core.plumbing import csv_safe
from dashboards import rollup
from dashboards.models import (
    REPORTED_STATUSES,
    CallbackMonth,
    CallbackStaffMonth,
    ContactMonth,
    ContactStaffMonth,
    RestrictionSpan,
)
from restrictions.constants import Kind
from restrictions.models import UNTIL, Restriction

MAX_MONTHS = 36

BY_MONTH, BY_TEAM, BY_CHANNEL = "month", "team", "channel"
BY_CHOICES = [(BY_MONTH, "Month"), (BY_TEAM, "Team"), (BY_CHANNEL, "Channel")]
CHANNEL_LABELS = dict(Channel.choices)


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    condition: Q | Callable[[], Q]  # a callable for conditions on the current time
    # A series that changes with the time (overdue): what it counts once the time has passed,
    # which is what the counts table holds (see ``_months_not_over``).
    once_due: Q | None = None

    def q(self) -> Q:
        return self.condition() if callable(self.condition) else self.condition


@dataclass(frozen=True)
class ReportDef:
    slug: str
    title: str
    paragraph: str
    description: str
    model: type[Model]
    date_field: str  # a DateTimeField, or a DateField when ``in_force`` is set
    staff_field: str  # whose team the row belongs to
    department_field: str
    channel_field: str | None
    series: tuple[Series, ...]
    base: Q = field(default_factory=Q)
    in_force: bool = False  # counts records in force during each period, not created in it
    # Whole months come from a monthly counts table (dashboards.models) whose count columns
    # are named as the series keys, and whose member of staff and channel fields are named
    # as ``staff_field`` and ``channel``. For an ``in_force`` report, a table of the months
    # records span, with ``department_field`` too (``_in_force_from_spans``).
    rollup: type[Model] | None = None
    # The same counts with every channel added together, read when no channel is chosen or
    # shown (a fifth of the rows).
    rollup_all_channels: type[Model] | None = None
    # Rows may be dated after today (a callback due tomorrow): the counts table holds them,
    # so the months not yet over are corrected to the range's end (``_months_not_over``).
    future_rows: bool = False

    @property
    def by_choices(self) -> list[tuple[str, str]]:
        return [c for c in BY_CHOICES if c[0] != BY_CHANNEL or self.channel_field]


_STILL_COUNTED = REPORTED_STATUSES

REPORTS: dict[str, ReportDef] = {r.slug: r for r in (
    ReportDef(
        slug="behaviour", title="Contacts by behaviour class", paragraph="5",
        description="Contacts classified difficult, persistent, offensive or abusive.",
        model=Contact, date_field="started_at", staff_field="staff",
        department_field="staff__department", channel_field="channel",
        base=~Q(behaviour=""), rollup=ContactMonth, rollup_all_channels=ContactStaffMonth,
        series=tuple(Series(b.value, b.label, Q(behaviour=b.value)) for b in Behaviour),
    ),
    ReportDef(
        slug="terminated", title="Terminated contacts", paragraph="7.4, 7.5, 8.1",
        description="Contacts ended because of the customer's behaviour.",
        model=Contact, date_field="started_at", staff_field="staff",
        department_field="staff__department", channel_field="channel",
        base=Q(terminated=True), rollup=ContactMonth, rollup_all_channels=ContactStaffMonth,
        series=(Series("terminated", "Terminated contacts", Q()),),
    ),
    ReportDef(
        slug="callbacks", title="Callbacks on time and late", paragraph="7.3, 9.1",
        description="Callbacks by when they were due: made by the time agreed, made late, "
        "or still to make after the time agreed.",
        model=Callback, date_field="due_at", staff_field="assigned_to",
        department_field="assigned_to__department", channel_field="contact__channel",
        rollup=CallbackMonth, rollup_all_channels=CallbackStaffMonth, future_rows=True,
        series=(
            Series("on_time", "Made on time",
                   Q(status=CallbackStatus.DONE, done_at__lte=F("due_at"))),
            Series("late", "Made late", Q(status=CallbackStatus.DONE, done_at__gt=F("due_at"))),
            Series("overdue", "Not made, overdue",
                   lambda: Q(status=CallbackStatus.ARRANGED, due_at__lt=timezone.now()),
                   once_due=Q(status=CallbackStatus.ARRANGED)),
        ),
    ),
    ReportDef(
        slug="restrictions", title="Restrictions and adjustments in force", paragraph="12",
        description="Records in force at any time in each period (approved, renewed or under "
        "review, and those since lifted or expired, within their dates).",
        model=Restriction, date_field="start_date", staff_field="requested_by",
        department_field="department", channel_field=None, in_force=True,
        base=Q(status__in=_STILL_COUNTED), rollup=RestrictionSpan,
        series=(Series(Kind.RESTRICTION.value, "Restricted contact", Q(kind=Kind.RESTRICTION)),
                Series(Kind.ADJUSTMENT.value, "Reasonable adjustment",
                       Q(kind=Kind.ADJUSTMENT))),
    ),
)}


# --- Scope ----------------------------------------------------------------------------------


@dataclass
class Scope:
    """What a member of staff may see: everything, or some departments and/or their team."""

    everything: bool = False
    departments: list[Department] = field(default_factory=list)
    team_of: User | None = None

    @property
    def nothing(self) -> bool:
        return not (self.everything or self.departments or self.team_of)

    def condition(self, report: ReportDef) -> Q:
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        if self.departments:
            q |= Q(**{f"{report.department_field}__in": [d.pk for d in self.departments]})
        if self.team_of is not None:
            q |= Q(**{f"{report.staff_field}__line_manager": self.team_of})
        return q

    def department_choices(self):
        if self.everything:
            return Department.objects.all()
        ids = [d.pk for d in self.departments]
        if self.team_of is not None and self.team_of.department_id:
            ids.append(self.team_of.department_id)
        return Department.objects.filter(pk__in=ids)

    def loaded_department_choices(self) -> list[Department] | None:
        """``department_choices`` without a query when they are the departments already read
        (a Head of Department in their own department); None when a query is needed."""
        if self.everything:
            return None
        ids = {d.pk for d in self.departments}
        if self.team_of is not None and self.team_of.department_id not in ids | {None}:
            return None
        return sorted(self.departments, key=lambda d: (d.name, d.pk))

    def team_choices(self):
        """Line managers whose teams are in scope (a team is the staff one person manages)."""
        staff = User.objects.filter(line_manager__isnull=False)
        if not self.everything:
            q = Q(pk__in=[])
            if self.departments:
                q |= Q(department__in=[d.pk for d in self.departments])
            if self.team_of is not None:
                q |= Q(line_manager=self.team_of)
            staff = staff.filter(q)
        # A semi-join on the staff's line managers: no DISTINCT over every user column. Only
        # what names them (``User.__str__``, the rows' labels): a larger organisation has more
        # teams, and a whole user row per team was most of what its report page added.
        return (User.objects.filter(pk__in=staff.values("line_manager"))
                .only("id", "first_name", "last_name", "username")
                .order_by("last_name", "first_name", "username"))


def report_scope(user: User) -> Scope:
    """The figures ``user`` may see (one query for the departments they head)."""
    if user.has_role(Role.SENIOR_STAFF, Role.COMPLIANCE):
        return Scope(everything=True)
    scope = Scope()
    if user.has_role(Role.HEAD_OF_DEPARTMENT):
        scope.departments = list(departments_headed_by(user))
    if user.has_role(Role.LINE_MANAGER, Role.HEAD_OF_DEPARTMENT):
        scope.team_of = user
    return scope


# --- Figures --------------------------------------------------------------------------------


@dataclass
class Row:
    key: str
    label: str
    values: list[int]
    sort: object = field(default="", compare=False, repr=False)

    @property
    def total(self) -> int:
        return sum(self.values)


@dataclass
class Figures:
    report: ReportDef
    by: str
    date_from: date
    date_to: date
    rows: list[Row]

    @property
    def series(self) -> tuple[Series, ...]:
        return self.report.series

    @property
    def by_label(self) -> str:
        return dict(BY_CHOICES)[self.by]

    @property
    def totals(self) -> list[int]:
        return [sum(r.values[i] for r in self.rows) for i in range(len(self.series))]

    @property
    def grand_total(self) -> int:
        return sum(self.totals)

    @property
    def maximum(self) -> int:
        return max((v for r in self.rows for v in r.values), default=0)


def month_starts(date_from: date, date_to: date) -> list[date]:
    months, current = [], date_from.replace(day=1)
    while current <= date_to:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def _month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _name_teams(cells: dict[str, Row], known: Mapping[int, tuple] | None = None) -> list[Row]:
    """Label each team row with its line manager's name, in the order of their names; staff
    with no line manager come last. Names come from ``known`` ({pk: (first, last,
    username)}, what the report page's team select read) and one query for any others."""
    names = dict(known or {})
    missing = [r.sort for r in cells.values() if r.sort and r.sort not in names]
    if missing:
        names.update((pk, (first, last, username)) for pk, first, last, username in
                     User.objects.filter(pk__in=missing)
                     .values_list("pk", "first_name", "last_name", "username"))
    for row in cells.values():
        first, last, username = names.get(row.sort) or ("", "", None)
        row.label = (staff_name(first, last, username) if username is not None
                     else "No line manager")
        row.sort = (last or "\uffff", first or "", row.sort or 0)
    return sorted(cells.values(), key=lambda r: r.sort)


def _overlaps(first: date, last: date) -> Q:
    """A record in force at some time between ``first`` and ``last`` (12)."""
    return (Q(start_date__lte=last, review_date__gte=first)
            & (Q(end_date__isnull=True) | Q(end_date__gte=first)))


def compute(report: ReportDef, *, scope: Scope, date_from: date, date_to: date, by: str,
            department: Department | None = None, team: User | None = None,
            channel: str = "", use_rollup: bool | None = None,
            team_names: Mapping[int, tuple] | None = None) -> Figures:
    """The report's figures, aggregated in the database whatever the number of rows counted.

    Contact and callback reports read whole months from the monthly counts
    (``dashboards.models``) and count rows directly only for the part-months at either end of
    a range that does not start on the first of a month or end on its last day (or today).
    For callbacks, a second small query corrects the months not yet over (``_months_not_over``).
    The restrictions report reads the months records span (``RestrictionSpan``) and corrects
    for the days at either end from the few records starting or stopping in them. At most two
    queries either way.
    ``use_rollup=False`` counts everything directly (the tests compare the two).
    """
    months = month_starts(date_from, date_to)
    if use_rollup is None:
        use_rollup = rollup.available()
    if report.in_force:
        records = _filtered(report, report.model.objects, scope, department, team, channel)
        if report.rollup and use_rollup:
            spans = _filtered(report, report.rollup.objects, scope, department, team, channel,
                              base=Q())
            return _in_force_from_spans(report, spans, records, date_from=date_from,
                                        date_to=date_to, by=by, months=months,
                                        team_names=team_names)
        return _in_force(report, records, date_from=date_from, date_to=date_to, by=by,
                         months=months, team_names=team_names)
    if report.rollup and use_rollup:
        whole, spans = _split(date_from, date_to, timezone.localdate())
    else:
        whole, spans = [], [(date_from, date_to)]
    cells: dict[str, Row] = {}
    if whole:
        # Each series is a count column; rows counting none are left out, as the rows
        # outside the report's ``base`` are.
        counted = Q(pk__in=[])
        for series in report.series:
            counted |= Q(**{f"{series.key}__gt": 0})
        table = report.rollup
        if report.rollup_all_channels and not channel and by != BY_CHANNEL:
            table = report.rollup_all_channels
        qs = _filtered(report, table.objects.filter(counted), scope, department, team,
                       channel, base=Q(), channel_field="channel")
        _add(cells, qs.filter(month__in=whole), report, by, period=F("month"),
             measure=lambda series: Sum(series.key), channel_field="channel")
        this_month = timezone.localdate().replace(day=1)
        not_over = [m for m in whole if m >= this_month] if report.future_rows else []
        if not_over:
            _months_not_over(cells, report, _filtered(report, report.model.objects, scope,
                                                      department, team, channel),
                             not_over, date_to, by)
    if spans:
        qs = _filtered(report, report.model.objects, scope, department, team, channel)
        within = Q(pk__in=[])
        for first, last in spans:
            within |= Q(**{f"{report.date_field}__gte": _aware(first),
                           f"{report.date_field}__lt": _aware(last + timedelta(days=1))})
        _add(cells, qs.filter(within), report, by,
             period=TruncMonth(report.date_field),
             measure=lambda series: Count("pk", filter=series.q()))
    if by == BY_MONTH:
        rows = [cells.get(m.isoformat()) or Row(m.isoformat(), f"{m:%B %Y}",
                                                [0] * len(report.series)) for m in months]
    else:
        # A team or channel with nothing counted (say, only callbacks not due yet) is left
        # out, however its rows were counted.
        cells = {key: row for key, row in cells.items() if any(row.values)}
        rows = (_name_teams(cells, team_names) if by == BY_TEAM
                else sorted(cells.values(), key=lambda r: r.sort))
    return Figures(report, by, date_from, date_to, rows)


def _filtered(report: ReportDef, qs: QuerySet, scope: Scope, department: Department | None,
              team: User | None, channel: str, base: Q | None = None,
              channel_field: str | None = None) -> QuerySet:
    qs = qs.filter(report.base if base is None else base, scope.condition(report))
    if department is not None:
        qs = qs.filter(**{report.department_field: department})
    if team is not None:
        qs = qs.filter(**{f"{report.staff_field}__line_manager": team})
    if channel and report.channel_field:
        qs = qs.filter(**{channel_field or report.channel_field: channel})
    return qs


def _split(date_from: date, date_to: date, today: date) -> tuple[list[date], list[tuple]]:
    """The whole months in the range, and the (first, last) days of the part-months.

    This month up to today counts as whole: no contact starts in the future (services refuse
    it). Reports whose rows can be dated later correct it (``_months_not_over``).
    """
    whole, spans = [], []
    for month in month_starts(date_from, date_to):
        first, last = max(month, date_from), min(_month_end(month), date_to)
        covered = last == _month_end(month) or last >= today
        if first == month and covered:
            whole.append(month)
        else:
            spans.append((first, last))
    return whole, spans


def _months_not_over(cells: dict[str, Row], report: ReportDef, qs: QuerySet,
                     months: list[date], date_to: date, by: str) -> None:
    """Correct what the counts table says of whole months that are not over yet (callbacks).

    The table holds every row dated in those months; the range counts only those dated up to
    its end, and a series that changes with the time (overdue) only those dated before now.
    So rows dated after the range's end are taken away from every series, and rows dated
    after now from those series too: one query over the few rows dated after now.
    """
    field = report.date_field
    rolled_end = _aware(_month_end(months[-1]) + timedelta(days=1))
    range_end = min(rolled_end, _aware(date_to + timedelta(days=1)))
    cut = min(range_end, timezone.now())

    def taken_away(series: Series) -> Aggregate:
        if series.once_due is not None:
            return Count("pk", filter=series.once_due) * -1
        return Count("pk", filter=series.q() & Q(**{f"{field}__gte": range_end})) * -1

    rows = qs.filter(**{f"{field}__gte": max(cut, _aware(months[0])),
                        f"{field}__lt": rolled_end})
    _add(cells, rows, report, by, period=TruncMonth(field), measure=taken_away)


def _add(cells: dict[str, Row], qs: QuerySet, report: ReportDef, by: str, *, period,
         measure: Callable[[Series], Aggregate], channel_field: str | None = None) -> None:
    """Aggregate ``qs`` by month, team or channel and add the figures into ``cells``."""
    channel_field = channel_field or report.channel_field
    counts = {f"n_{s.key}": measure(s) for s in report.series}
    if by == BY_MONTH:
        data = qs.annotate(period=period).values("period").annotate(**counts)
        keyed = []
        for d in data:
            month = d["period"]
            if isinstance(month, datetime):
                month = timezone.localtime(month).date()
            keyed.append((month.replace(day=1).isoformat(), f"{month:%B %Y}", "", d))
    elif by == BY_TEAM:
        # Grouped by the manager's id alone: one join, an integer key. ``_name_teams``
        # labels and orders the rows afterwards with one small query.
        manager = f"{report.staff_field}__line_manager"
        data = qs.values(manager).annotate(**counts).order_by()
        keyed = [(str(d[manager] or ""), "", d[manager], d) for d in data]
    else:
        data = qs.values(channel_field).annotate(**counts)
        keyed = [(d[channel_field], CHANNEL_LABELS.get(d[channel_field], d[channel_field]),
                  d[channel_field], d) for d in data]
    for key, label, sort, d in keyed:
        row = cells.setdefault(key, Row(key, label, [0] * len(report.series), sort=sort))
        row.values = [v + (d[f"n_{s.key}"] or 0) for v, s in zip(row.values, report.series,
                                                                 strict=True)]


def _in_force(report: ReportDef, qs: QuerySet, *, date_from: date, date_to: date, by: str,
              months: list[date], team_names: Mapping[int, tuple] | None = None) -> Figures:
    qs = qs.filter(_overlaps(date_from, date_to))
    if by == BY_MONTH:
        # One query counts the records by the month they start in and the month they stop
        # being in force (the earlier of the review and end dates); a record is in force in
        # month M exactly when it starts in or before M and stops in or after M. The range
        # filter above takes care of the days at either end. Python then adds up the few
        # aggregated (start month, stop month) cells for each month.
        cells = list(qs.annotate(
            first=TruncMonth("start_date"),
            last=TruncMonth(Least("review_date", Coalesce("end_date", "review_date"))),
        ).values("first", "last").annotate(
            **{f"n_{s.key}": Count("pk", filter=s.q()) for s in report.series}).order_by())
        rows = []
        for month in months:
            within = [c for c in cells if c["first"] <= month <= c["last"]]
            rows.append(Row(month.isoformat(), f"{month:%B %Y}",
                            [sum(c[f"n_{s.key}"] for c in within) for s in report.series]))
        return Figures(report, by, date_from, date_to, rows)
    found: dict[str, Row] = {}
    _add(found, qs, report, by, period=None,
         measure=lambda series: Count("pk", filter=series.q()))
    rows = (_name_teams(found, team_names) if by == BY_TEAM
            else sorted(found.values(), key=lambda r: r.sort))
    return Figures(report, by, date_from, date_to, rows)


def _in_force_from_spans(report: ReportDef, spans: QuerySet, records: QuerySet, *,
                         date_from: date, date_to: date, by: str, months: list[date],
                         team_names: Mapping[int, tuple] | None = None) -> Figures:
    """``_in_force`` from the counts of the months records span (``RestrictionSpan``).

    The spans give the records in force at some time in whole months, from the first of
    ``date_from``'s month to the end of ``date_to``'s. Of those, the ones not in force
    between ``date_from`` and ``date_to`` either start after ``date_to`` (in its month) or
    stop before ``date_from`` (in its month), never both: one query counts them from the
    records, by their start date and ``UNTIL`` indexes, and only when the range is not whole
    months. ``spans`` and ``records`` carry the same scope and filters.
    """
    first_month, last_month = months[0], months[-1]
    counted = Q(pk__in=[])
    for series in report.series:
        counted |= Q(**{f"{series.key}__gt": 0})
    spans = spans.filter(counted, first_month__lte=last_month, last_month__gte=first_month)
    # Stopped before the range starts, and started after it ends, in its first and last month.
    early = Q(in_force_until__gte=first_month, in_force_until__lt=date_from)
    late = Q(start_date__gt=date_to, start_date__lte=_month_end(last_month))
    outside = [q for q, needed in ((early, date_from > first_month),
                                   (late, date_to < _month_end(last_month))) if needed]
    records = records.alias(in_force_until=UNTIL)
    if by == BY_MONTH:
        cells = list(spans.values("first_month", "last_month").annotate(
            **{f"n_{s.key}": Sum(s.key) for s in report.series}).order_by())
        values = {month: [sum(c[f"n_{s.key}"] for c in cells
                              if c["first_month"] <= month <= c["last_month"])
                          for s in report.series] for month in months}
        if outside:
            found = records.filter(reduce(or_, outside)).aggregate(
                **{f"{when}_{s.key}": Count("pk", filter=q & s.q())
                   for when, q in (("early", early), ("late", late)) for s in report.series})
            for month, when in ((first_month, "early"), (last_month, "late")):
                values[month] = [v - found[f"{when}_{s.key}"]
                                 for v, s in zip(values[month], report.series, strict=True)]
        rows = [Row(m.isoformat(), f"{m:%B %Y}", values[m]) for m in months]
        return Figures(report, by, date_from, date_to, rows)
    cells: dict[str, Row] = {}
    _add(cells, spans, report, by, period=None, measure=lambda series: Sum(series.key))
    if outside:
        _add(cells, records.filter(reduce(or_, outside)), report, by, period=None,
             measure=lambda series: -Count("pk", filter=series.q()))
    # Every record counted directly is of one series, so no team shows a row of noughts.
    cells = {key: row for key, row in cells.items() if any(row.values)}
    rows = (_name_teams(cells, team_names) if by == BY_TEAM
            else sorted(cells.values(), key=lambda r: r.sort))
    return Figures(report, by, date_from, date_to, rows)


# --- Chart and CSV --------------------------------------------------------------------------

CHART_WIDTH = 640
LABEL_WIDTH = 150
BAR_HEIGHT = 14
BAR_GAP = 2
GROUP_GAP = 12
VALUE_ROOM = 40
# GOV.UK colours with at least 3:1 contrast against white (WCAG 1.4.11).
PALETTE = ("#1d70b8", "#912b88", "#d4351c", "#00703c", "#505a5f")


def chart(figures: Figures) -> dict:
    """A horizontal grouped bar chart laid out for an SVG template (no inline styles)."""
    plot_width = CHART_WIDTH - LABEL_WIDTH - VALUE_ROOM
    scale = plot_width / figures.maximum if figures.maximum else 0
    n = len(figures.series)
    group_height = n * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP
    # Each series' colour and escaped label, worked out once for every row.
    series = [(s, PALETTE[i % len(PALETTE)], escape(s.label))
              for i, s in enumerate(figures.series)]
    groups, y = [], 10
    for row in figures.rows:
        label = escape(row.label)
        bars = []
        for i, ((_s, colour, series_label), value) in enumerate(
                zip(series, row.values, strict=True)):
            bar_y = y + i * (BAR_HEIGHT + BAR_GAP)
            width = round(value * scale, 1)
            bars.append((bar_y, width, colour, label, series_label, value,
                         LABEL_WIDTH + width + 4, bar_y + BAR_HEIGHT - 3))
        groups.append((y + (n * (BAR_HEIGHT + BAR_GAP)) / 2 + 4, row.label,
                       format_html_join("", _BAR, bars)))
        y += group_height
    legend = [{"series": s, "colour": colour} for s, colour, _label in series]
    return {"width": CHART_WIDTH, "height": max(y, 40), "axis_x": LABEL_WIDTH,
            "groups": format_html_join("", _GROUP, groups), "legend": legend}


def table_rows(figures: Figures) -> str:
    """The table's body rows (the total row aside), one per row of the figures."""
    return format_html_join("", _TABLE_ROW, (
        (row.label, format_html_join("", _CELL, ((value,) for value in row.values)), row.total)
        for row in figures.rows))


# One bar and its value. Built in Python: a chart of 20 teams x 4 series would otherwise cost
# the template some 1,500 variable lookups. Placeholders: 0 y, 1 width, 2 colour, 3 row
# label, 4 series label (both already escaped), 5 value, 6 and 7 the value's x and y.
_BAR = (f'<rect class="app-dashboards-chart__bar" x="{LABEL_WIDTH}" y="{{0}}" width="{{1}}" '
        f'height="{BAR_HEIGHT}" fill="{{2}}" data-row="{{3}}" data-series="{{4}}" '
        'data-value="{5}"><title>{3}, {4}: {5}</title></rect>'
        '<text x="{6}" y="{7}" font-size="11" fill="#0b0c0c">{5}</text>')


# Each row's group of bars, and the table's rows, for the same reason: a report by team has
# a row per team, and each row's nodes were most of what a larger organisation's page added.
_GROUP = ('<g class="app-dashboards-chart__group"><text x="' f"{LABEL_WIDTH - 6}"
          '" y="{}" text-anchor="end" font-size="12" fill="#0b0c0c">{}</text>{}</g>')
_CELL = '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
_TABLE_ROW = ('<tr class="govuk-table__row" data-row="{0}">'
              '<th scope="row" class="govuk-table__header">{0}</th>{1}'
              '<td class="govuk-table__cell govuk-table__cell--numeric">{2}</td></tr>')


def as_csv(figures: Figures) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_safe(figures.by_label), *(csv_safe(s.label) for s in figures.series),
                     "Total"])
    for row in figures.rows:
        writer.writerow([csv_safe(row.label), *row.values, row.total])
    writer.writerow(["Total", *figures.totals, figures.grand_total])
    return out.getvalue()

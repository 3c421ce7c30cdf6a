"""The monthly counts behind the reports: the triggers' SQL and a full recount (8.2, 12, 14).

Five tables, each kept by a PostgreSQL trigger in the same transaction as the rows it counts,
so the counts are never behind:

- ``ContactMonth`` (migration 0001): the trigger on ``contacts_contact`` adds a new contact
  to its row (one row per month, member of staff and channel), moves it when the contact's
  month, member of staff, channel, behaviour class or termination changes (a
  reclassification, 5; an ended call, 8.1) and takes it away when the contact is deleted
  (retention).
- ``CallbackMonth`` (migration 0002): the trigger on ``contacts_callback`` does the same
  for callbacks (7.3, 9.1) by the month they are due, assignee and the channel of their
  contact (a contact's channel never changes once logged), split into made on time, made
  late and not made.
- ``ContactStaffMonth`` and ``CallbackStaffMonth`` (migration 0004): the same two counts
  with every channel added together, each kept by its own trigger, for the reports that
  neither filter nor group by channel (most of them; a fifth of the rows to read).
- ``RestrictionSpan`` (migration 0003): the trigger on ``restrictions_restriction`` counts
  restrictions and adjustments by requester, department and the months they start and stop
  being in force in, moving a record when its status (approved, lifted, expired, renewed),
  dates, kind, requester or department change.

``rebuild()`` recounts them all from scratch, after a bulk load that switched the triggers off
(``trigger_disabled``, used by ``seed_bench``).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction

from dashboards.models import (
    BEHAVIOUR_COLUMNS,
    REPORTED_STATUSES,
    ROLLUP_TIME_ZONE,
    CallbackMonth,
    CallbackStaffMonth,
    ContactMonth,
    ContactStaffMonth,
    RestrictionSpan,
)
from restrictions.constants import ACTIVE, Kind


def _month(column: str) -> str:
    return f"date_trunc('month', {column} AT TIME ZONE '{ROLLUP_TIME_ZONE}')::date"


@dataclass(frozen=True)
class Rollup:
    table: str
    source: str  # the table whose rows are counted
    trigger: str
    key: str  # the upsert's conflict target
    columns: tuple[str, ...]  # the count columns
    unchanged: str  # an UPDATE that leaves all of these alone changes no count
    row: str  # a plpgsql SELECT list for (key..., counts...) of row ``r`` times ``delta``
    row_from: str  # FROM/WHERE for ``row`` (may join the contact)
    recount: str  # a SELECT of (key..., counts...) over the whole source table

    def _accumulate(self) -> str:
        return ", ".join(f"{c} = {self.table}.{c} + EXCLUDED.{c}" for c in self.columns)

    def _insert(self) -> str:
        return f"INSERT INTO {self.table} ({self.key}, {', '.join(self.columns)})"

    @property
    def install_sql(self) -> str:
        name = self.trigger
        # Constant table, column and zone names only: no user input reaches this SQL.
        return f"""
CREATE OR REPLACE FUNCTION {name}_add(r {self.source}, delta integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    {self._insert()}
    SELECT {self.row} {self.row_from}
    ON CONFLICT ({self.key}) DO UPDATE SET {self._accumulate()};
END $$;

CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND {self.unchanged} THEN
        RETURN NULL;  -- nothing the reports count has changed
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM {name}_add(OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM {name}_add(NEW, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION {name}_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {self.table};
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS {name} ON {self.source};
CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {self.source}
    FOR EACH ROW EXECUTE FUNCTION {name}();
DROP TRIGGER IF EXISTS {name}_truncate ON {self.source};
CREATE TRIGGER {name}_truncate AFTER TRUNCATE ON {self.source}
    FOR EACH STATEMENT EXECUTE FUNCTION {name}_clear();
"""  # noqa: S608

    @property
    def uninstall_sql(self) -> str:
        name = self.trigger
        return f"""
DROP TRIGGER IF EXISTS {name}_truncate ON {self.source};
DROP TRIGGER IF EXISTS {name} ON {self.source};
DROP FUNCTION IF EXISTS {name}_clear();
DROP FUNCTION IF EXISTS {name}();
DROP FUNCTION IF EXISTS {name}_add({self.source}, integer);
"""

    def install(self, schema_editor=None) -> None:
        """Create the trigger (PostgreSQL only) and count what is already there."""
        conn = schema_editor.connection if schema_editor else connection
        if conn.vendor != "postgresql":
            return
        with conn.cursor() as cursor:
            cursor.execute(self.install_sql)
        self.rebuild(conn)

    def uninstall(self, schema_editor=None) -> None:
        conn = schema_editor.connection if schema_editor else connection
        if conn.vendor == "postgresql":
            with conn.cursor() as cursor:
                cursor.execute(self.uninstall_sql)

    def rebuild(self, conn=None) -> int:
        """Recount from scratch; returns the number of rows written.

        Holds a SHARE lock on the source table while it counts, so nothing it counts can
        change between the delete and the insert.
        """
        conn = conn or connection
        with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {self.source} IN SHARE MODE")
            cursor.execute(f"DELETE FROM {self.table}")  # noqa: S608 - constant name
            cursor.execute(f"{self._insert()} {self.recount}")
            return cursor.rowcount


def _contact_counts(row: str) -> list[str]:
    """0/1 for each count column of one contact."""
    return (["1"] + [f"({row}.behaviour = '{b}')::int" for b in BEHAVIOUR_COLUMNS]
            + [f"{row}.terminated::int"])


def _callback_counts(row: str) -> list[str]:
    """0/1 for each count column of one callback: all, on time, late, not made."""
    done = f"{row}.status = 'done' AND {row}.done_at IS NOT NULL"
    return ["1", f"({done} AND {row}.done_at <= {row}.due_at)::int",
            f"({done} AND {row}.done_at > {row}.due_at)::int", f"({row}.status <> 'done')::int"]


def _times(counts: list[str], factor: str) -> str:
    return ", ".join(f"{c} * {factor}" for c in counts)


def _sums(counts: list[str]) -> str:
    return ", ".join(f"sum({c})" for c in counts)


def _contact_rollup(model, trigger: str, *, by_channel: bool) -> Rollup:
    """Contacts counted per member of staff and month, and per channel too if asked."""
    return Rollup(
        table=model._meta.db_table, source="contacts_contact", trigger=trigger,
        key="staff_id, month, channel" if by_channel else "staff_id, month",
        columns=model.COUNTS,
        unchanged=("OLD.started_at = NEW.started_at AND OLD.staff_id = NEW.staff_id "
                   + ("AND OLD.channel = NEW.channel " if by_channel else "")
                   + "AND OLD.behaviour = NEW.behaviour AND OLD.terminated = NEW.terminated"),
        row=(f"r.staff_id, {_month('r.started_at')}{', r.channel' if by_channel else ''}, "
             f"{_times(_contact_counts('r'), 'delta')}"),
        row_from="",
        recount=(f"SELECT c.staff_id, {_month('c.started_at')}"  # noqa: S608
                 f"{', c.channel' if by_channel else ''}, {_sums(_contact_counts('c'))} "
                 f"FROM contacts_contact c GROUP BY {'1, 2, 3' if by_channel else '1, 2'}"),
    )


def _callback_rollup(model, trigger: str, *, by_channel: bool) -> Rollup:
    """Callbacks counted per assignee and month due, and per channel too if asked: the
    channel is the contact's, which never changes once logged."""
    return Rollup(
        table=model._meta.db_table, source="contacts_callback", trigger=trigger,
        key="assigned_to_id, month, channel" if by_channel else "assigned_to_id, month",
        columns=model.COUNTS,
        unchanged=("OLD.due_at = NEW.due_at AND OLD.assigned_to_id = NEW.assigned_to_id "
                   + ("AND OLD.contact_id = NEW.contact_id " if by_channel else "")
                   + "AND OLD.status = NEW.status "
                   "AND OLD.done_at IS NOT DISTINCT FROM NEW.done_at"),
        row=(f"r.assigned_to_id, {_month('r.due_at')}{', c.channel' if by_channel else ''}, "
             f"{_times(_callback_counts('r'), 'delta')}"),
        row_from="FROM contacts_contact c WHERE c.id = r.contact_id" if by_channel else "",
        recount=(f"SELECT r.assigned_to_id, {_month('r.due_at')}"  # noqa: S608
                 f"{', c.channel' if by_channel else ''}, {_sums(_callback_counts('r'))} "
                 "FROM contacts_callback r "
                 + ("JOIN contacts_contact c ON c.id = r.contact_id GROUP BY 1, 2, 3"
                    if by_channel else "GROUP BY 1, 2")),
    )


CONTACTS = _contact_rollup(ContactMonth, "contact_month_sync", by_channel=True)
CALLBACKS = _callback_rollup(CallbackMonth, "callback_month_sync", by_channel=True)
# The same counts with every channel added together (``ContactStaffMonth``,
# ``CallbackStaffMonth``): what the reports read when no channel is chosen or shown.
CONTACTS_ALL_CHANNELS = _contact_rollup(ContactStaffMonth, "contact_staff_month_sync",
                                        by_channel=False)
CALLBACKS_ALL_CHANNELS = _callback_rollup(CallbackStaffMonth, "callback_staff_month_sync",
                                          by_channel=False)


def _in(row: str, column: str, values) -> str:
    listed = ", ".join(f"'{v}'" for v in sorted(values))
    return f"{row}.{column} IN ({listed})"


def _span_key(row: str) -> str:
    """Requester, department, and the months a restriction starts and stops in (dates)."""
    until = f"LEAST({row}.review_date, COALESCE({row}.end_date, {row}.review_date))"
    return (f"{row}.requested_by_id, {row}.department_id, "
            f"date_trunc('month', {row}.start_date::timestamp)::date, "
            f"date_trunc('month', {until}::timestamp)::date")


def _span_counts(row: str) -> list[str]:
    """0/1 for each count column of one restriction: reported, then active, by kind."""
    kinds = [f"{row}.kind = '{k}'" for k in (Kind.RESTRICTION, Kind.ADJUSTMENT)]
    return ([f"({_in(row, 'status', REPORTED_STATUSES)} AND {k})::int" for k in kinds]
            + [f"({_in(row, 'status', ACTIVE)} AND {k})::int" for k in kinds])


RESTRICTIONS = Rollup(
    table=RestrictionSpan._meta.db_table, source="restrictions_restriction",
    trigger="restriction_span_sync",
    key="requested_by_id, department_id, first_month, last_month",
    columns=RestrictionSpan.COUNTS,
    unchanged=("OLD.kind = NEW.kind AND OLD.status = NEW.status "
               "AND OLD.start_date = NEW.start_date AND OLD.review_date = NEW.review_date "
               "AND OLD.end_date IS NOT DISTINCT FROM NEW.end_date "
               "AND OLD.requested_by_id = NEW.requested_by_id "
               "AND OLD.department_id = NEW.department_id"),
    row=f"{_span_key('r')}, {_times(_span_counts('r'), 'delta')}",
    # Drafts, requests waiting or refused and the like count nowhere: no row for them.
    row_from=f"WHERE {_in('r', 'status', REPORTED_STATUSES)}",
    recount=(f"SELECT {_span_key('r')}, {_sums(_span_counts('r'))} "  # noqa: S608
             f"FROM restrictions_restriction r "
             f"WHERE {_in('r', 'status', REPORTED_STATUSES)} GROUP BY 1, 2, 3, 4"),
)

ROLLUPS = (CONTACTS, CALLBACKS, CONTACTS_ALL_CHANNELS, CALLBACKS_ALL_CHANNELS, RESTRICTIONS)


def available() -> bool:
    """The counts are kept (PostgreSQL); elsewhere the reports count rows directly."""
    return connection.vendor == "postgresql"


def rebuild() -> int:
    """Recount every table; returns the number of rows written."""
    return sum(r.rebuild() for r in ROLLUPS)


@contextmanager
def trigger_disabled() -> Iterator[None]:
    """Bulk loads (seed_bench) skip the per-row triggers; call ``rebuild`` after."""
    if not available():
        yield
        return
    with connection.cursor() as cursor:
        for r in ROLLUPS:
            cursor.execute(f"ALTER TABLE {r.source} DISABLE TRIGGER {r.trigger}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.in_atomic_block:
                # PostgreSQL refuses to ALTER a table with deferred foreign-key checks
                # pending: run them now, as the commit would.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for r in ROLLUPS:
                cursor.execute(f"ALTER TABLE {r.source} ENABLE TRIGGER {r.trigger}")

"""The retention run: find what has passed its period, then anonymise or delete it in batches.

Driven by ``privacy.registry`` (one rule per model). A row is *due* when its period has run
from its anchor (or the record it follows is due) and nothing holds its customer; it is
*pending* while due and not yet anonymised (an anonymised row has every personal field
equal to its placeholder, so a second run finds nothing: the run is resumable by nature).

Each batch is one transaction that locks its rows with ``FOR UPDATE SKIP LOCKED``, so two
runs at once share the work instead of doing it twice, and writes one audit row with the
counts (never the data).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, FileField, OuterRef, Q, QuerySet

from audit.services import audit_record
from privacy import registry
from privacy.registry import DELETE, RetentionRule

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 500


def cutoff(rule: RetentionRule, now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=rule.days)


def _customer_model():
    from contacts.models import Customer

    return Customer


def held_customer_ids(only: Callable | None = None) -> list[QuerySet]:
    """One queryset of held customers' ids per hold (open SAR, legal hold, appeal, in force,
    open case...). A hold returns either such a queryset (``values("customer_id")``), or a
    boolean expression on the customer (``Exists(...OuterRef("pk"))``).

    Each is excluded on its own (``NOT IN``, which PostgreSQL answers with one hashed
    sub-plan per hold) rather than as one OR of EXISTS over every customer, which cannot
    be planned as a semi-join and costs a scan of all customers per query."""
    result = []
    for condition in [only] if only else registry.HOLDS:
        held = condition()
        if not isinstance(held, QuerySet):
            held = _customer_model().objects.filter(held).values("pk")
        result.append(held)
    return result


def _past_period(rule: RetentionRule, now: dt.datetime) -> QuerySet:
    model = rule.model_class
    if rule.follows:
        parent = registry.parent_rule(rule)
        past = Q(**{f"{rule.follows}__in": due(parent, now).values("pk")})
        if rule.orphans is not None:
            past |= Q(**{f"{rule.follows}__isnull": True}) & rule.orphans(cutoff(rule, now))
        return model.objects.filter(past)
    limit = cutoff(rule, now)
    if callable(rule.anchor):
        return model.objects.filter(rule.anchor(limit))
    return model.objects.filter(**{f"{rule.anchor}__lt": limit})


def _exclude_held(rule: RetentionRule, queryset: QuerySet, hold: Callable | None = None):
    if not rule.customer:
        return queryset
    for held in held_customer_ids(hold):
        queryset = queryset.exclude(**{f"{rule.customer}__in": held})
    return queryset


def due(rule: RetentionRule, now: dt.datetime) -> QuerySet:
    """Rows whose period has ended and whose customer is not held (done or not)."""
    return _exclude_held(rule, _past_period(rule, now))


def _done(rule: RetentionRule) -> Q:
    done = Q()
    for name, value in rule.placeholder_values().items():
        done &= Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})
    return done


def pending(rule: RetentionRule, now: dt.datetime) -> QuerySet:
    """Rows the run would change now."""
    queryset = due(rule, now)
    if rule.action != DELETE and not rule.personal_fields:
        return queryset.none()  # declared for the bundle and the map; nothing to blank
    if rule.action != DELETE:
        queryset = queryset.exclude(_done(rule))
    return queryset


@dataclass
class PlanLine:
    """One model's line of the plan: what would happen, to how many, and why."""

    rule: RetentionRule
    count: int
    held: dict[str, int] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return f"{period_text(self.rule.days)} after {self.rule.starts} ({self.rule.period})"

    @property
    def action(self) -> str:
        if self.rule.action != DELETE and not self.rule.personal_fields:
            return "keep"
        return self.rule.action


def period_text(days: int) -> str:
    """``6 years``, ``1 year``, ``90 days``, ``0 days``."""
    if days and days % 365 == 0:
        years = days // 365
        return f"{years} year" + ("s" if years != 1 else "")
    return f"{days} day" + ("s" if days != 1 else "")


def plan(now: dt.datetime, *, with_holds: bool = True) -> list[PlanLine]:
    """The dry run: per rule, how many rows would be anonymised or deleted, and how many holds
    keep back. Reads only."""
    lines = []
    for rule in registry.rules():
        line = PlanLine(rule, pending(rule, now).count())
        if with_holds and rule.customer:
            past = _past_period(rule, now)
            if rule.action != DELETE:
                past = past.exclude(_done(rule))
            total = past.count()
            for hold in registry.HOLDS if total else ():
                held_only = total - _exclude_held(rule, past, hold).count()
                if held_only:
                    line.held[registry.hold_label(hold)] = held_only
        lines.append(line)
    return lines


def _apply_batch(rule: RetentionRule, now: dt.datetime, batch_size: int,
                 after: object = None) -> tuple[int, object]:
    """One batch in one transaction; the rows another run has locked are skipped (that run
    does them). Returns how many were done and the last id, where the next batch starts."""
    model = rule.model_class
    with transaction.atomic():
        candidates = pending(rule, now)
        if after is not None:
            candidates = candidates.filter(pk__gt=after)
        ids = list(candidates.order_by("pk")
                   .select_for_update(skip_locked=True, of=("self",))
                   .values_list("pk", flat=True)[:batch_size])
        if not ids:
            return 0, after
        rows = model.objects.filter(pk__in=ids)
        files = _stored_files(rule, rows)
        if rule.action == DELETE:
            rows.delete()
            done = len(ids)
        else:
            done = rows.update(**rule.placeholder_values())
        audit_record(actor=None, action="retention.batch", changes={
            "model": rule.model, "action": rule.action, "count": done,
            "period": rule.period, "run_at": now.isoformat()})
        if files:
            # Only once the rows are gone for good: a rolled-back batch keeps its files.
            transaction.on_commit(lambda: delete_files(files))
    return done, ids[-1]


def _storage(model_field):
    """The field's storage as configured now (a callable storage is looked up again, so a
    test's or deployment's ``STORAGES`` is the one used)."""
    factory = getattr(model_field, "_storage_callable", None)
    return factory() if factory is not None else model_field.storage


def _stored_files(rule: RetentionRule, rows: QuerySet) -> list[tuple[object, str]]:
    """``(storage, name)`` of every file a personal file field of ``rows`` points to: the
    file itself is personal data, so deleting or blanking the row must not leave it behind."""
    found = []
    for name in rule.personal_fields:
        model_field = rule.model_class._meta.get_field(name)
        if not isinstance(model_field, FileField):
            continue
        storage = _storage(model_field)
        found += [(storage, value) for value in rows.exclude(**{name: ""}).exclude(
            **{f"{name}__isnull": True}).values_list(name, flat=True)]
    return found


def delete_files(files: list[tuple[object, str]]) -> None:
    for storage, name in files:
        storage.delete(name)


def apply_rule(rule: RetentionRule, now: dt.datetime, *, batch_size: int = DEFAULT_BATCH_SIZE,
               progress: Callable[[RetentionRule, int], None] | None = None) -> int:
    """Anonymise or delete every pending row of ``rule``, batch by batch, in id order (each
    batch starts after the last, so it never re-reads the rows already done)."""
    total, after = 0, None
    while True:
        done, after = _apply_batch(rule, now, batch_size, after)
        if not done:
            return total
        total += done
        logger.info("retention batch model=%s action=%s count=%s total=%s",
                    rule.model, rule.action, done, total)
        if progress:
            progress(rule, total)


def apply(now: dt.datetime, *, batch_size: int = DEFAULT_BATCH_SIZE,
          progress: Callable[[RetentionRule, int], None] | None = None) -> dict[str, int]:
    """Run every rule (records before the records they belong to would stop being due)."""
    # Children first: a child follows its parent's *due* set, which anonymising the parent
    # does not change, but deleting a parent would (none of the rules delete a parent).
    order = sorted(registry.rules(), key=lambda r: -registry.depth(r))
    return {rule.model: apply_rule(rule, now, batch_size=batch_size, progress=progress)
            for rule in order}


def report(now: dt.datetime) -> dict[str, int]:
    """Counts only, per model: what a run now would change."""
    return {line.rule.model: line.count for line in plan(now, with_holds=False)}


def exists_for_customer(model, lookup: str, **filters) -> Exists:
    """A hold helper: ``Exists`` of ``model`` rows for the outer customer."""
    return Exists(model.objects.filter(**{lookup: OuterRef("pk")}, **filters))

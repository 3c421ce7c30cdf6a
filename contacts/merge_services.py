"""Merging duplicate customer records (issue 16), and undoing a merge the same day.

A line manager merges after seeing both records side by side. In one transaction every
record linked to the merged customer moves to the survivor: every foreign key to
``Customer`` (declared in ``MERGE_PLAN``: a relation added later and not declared makes
``customer_merge`` refuse to run, and ``tests/contacts/test_merge.py`` fail), and generic
targets (due items, record challenges) that point at it. Callbacks, terminated-call logs,
steps and disclosures hang off contacts and at-risk reports, so they move with them. The
merged record stays as a tombstone (``merged_into``) that redirects to the survivor and
whose audit events the survivor's history shows (audit rows are append-only: never
re-pointed).

12.3: a merge that would join two restrictions in force, or a restriction and an
adjustment, is shown and must be acknowledged before it goes ahead.
"""

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.rules import is_manager
from audit.services import audit_record
from contacts.models import Customer, CustomerMerge

# Every relation to Customer: "move" re-points it to the survivor; "dedupe" moves it but
# drops the merged record's copies of what the survivor already has; "keep" stays.
MERGE_PLAN = {
    "contacts.CustomerEmail.customer": "dedupe",
    "contacts.CustomerPhone.customer": "dedupe",
    "contacts.CaseReference.customer": "move",
    "contacts.Contact.customer": "move",
    "contacts.PersistentContactFlag.customer": "move",
    "contacts.CommunicationNeedReport.customer": "move",
    "contacts.Customer.merged_into": "move",  # earlier tombstones now redirect to the survivor
    "contacts.CustomerMerge.survivor": "keep",  # the merge records themselves
    "contacts.CustomerMerge.merged": "keep",
    "restrictions.Restriction.customer": "move",
    "restrictions.FurtherAction.customer": "move",
    "atrisk.AtRiskReport.customer": "move",
    "privacy.SubjectAccessRequest.customer": "move",
    "privacy.RecordChallenge.customer": "move",
    "privacy.LegalHold.customer": "move",  # a hold keeps protecting the person's records
    "documents.StoredDocument.customer": "move",  # letters and copies sent stay with the person
    "api.ExternalCustomer.customer": "move",  # the case system's id now names the survivor
}
DEDUPE_KEYS = {"contacts.CustomerEmail": "email_normalised",
               "contacts.CustomerPhone": "number_normalised"}
# Details of the merged record that fill the survivor's blanks.
FILLABLE = ("given_name", "family_name", "preferred_name", "address", "postcode",
            "preferred_channel", "communication_needs")


def customer_relations() -> dict[str, object]:
    """Every foreign key to Customer in the project, by ``app.Model.field``."""
    return {f"{rel.related_model._meta.label}.{rel.field.name}": rel
            for rel in Customer._meta.get_fields(include_hidden=True)
            if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)}


def generic_targets() -> list[type]:
    """Models with a generic foreign key (which may point at a customer), audit excluded."""
    return [model for model in apps.get_models()
            if model._meta.label != "audit.AuditEvent"
            and any(isinstance(f, GenericForeignKey) for f in model._meta.private_fields)]


def _check_plan() -> dict:
    relations = customer_relations()
    missing = sorted(set(relations) - set(MERGE_PLAN))
    if missing:
        raise ImproperlyConfigured(f"customer_merge does not know what to do with {missing}: "
                                   "add them to contacts.merge_services.MERGE_PLAN")
    return relations


def may_merge(actor) -> bool:
    """Line managers (and senior staff, Heads of Department); no superuser exemption."""
    return bool(getattr(actor, "is_active", False)) and is_manager.test(actor)


def merge_conflicts(survivor: Customer, merged: Customer) -> list[str]:
    """12.3: what joining these two records would put together that may conflict."""
    from restrictions.constants import Kind
    from restrictions.selectors import active_for_customer

    mine = {r.kind for r in active_for_customer(survivor)}
    theirs = {r.kind for r in active_for_customer(merged)}
    found = []
    if Kind.RESTRICTION in mine and Kind.RESTRICTION in theirs:
        found.append("Both records have restricted contact in force: the merged record will "
                     "have two restrictions, whose terms may differ. Check which should "
                     "stand and ask the Head of Department to vary or lift the other.")
    if (Kind.RESTRICTION in mine and Kind.ADJUSTMENT in theirs) or (
            Kind.ADJUSTMENT in mine and Kind.RESTRICTION in theirs):
        found.append("One record has restricted contact in force and the other a reasonable "
                     "adjustment: check that the restriction's terms still allow the "
                     "adjustment (12.3).")
    return found


def customer_merge(*, actor, survivor: Customer, merged: Customer,
                   conflicts_acknowledged: bool = False) -> CustomerMerge:
    """Merge ``merged`` into ``survivor``: everything linked moves; ``merged`` becomes a
    tombstone. Refused until conflicts (12.3) are acknowledged."""
    if not may_merge(actor):
        raise PermissionDenied("Only a line manager can merge customer records.")
    relations = _check_plan()
    if survivor.pk == merged.pk:
        raise ValidationError("Choose two different customer records to merge.")
    with transaction.atomic():
        locked = {c.pk: c for c in Customer.objects.select_for_update()
                  .filter(pk__in=[survivor.pk, merged.pk])}
        survivor, merged = locked[survivor.pk], locked[merged.pk]
        if survivor.merged_into_id or merged.merged_into_id:
            raise ValidationError("One of these records has already been merged into another.")
        conflicts = merge_conflicts(survivor, merged)
        if conflicts and not conflicts_acknowledged:
            raise ValidationError({"conflicts_acknowledged": conflicts})
        moved = _move_all(relations, survivor, merged)
        filled = _fill_blanks(survivor, merged)
        merged.merged_into = survivor
        merged.save(update_fields=["merged_into"])
        record = CustomerMerge.objects.create(
            survivor=survivor, merged=merged, merged_by=actor, moved=moved, filled=filled,
            conflicts_acknowledged=conflicts)
        changes = {"merged": merged.pk, "survivor": survivor.pk,
                   "moved": {label: len(ids) for label, ids in moved.items()},
                   "filled": filled, "conflicts_acknowledged": conflicts}
        audit_record(actor=actor, action="customer.merged", target=survivor, changes=changes)
        audit_record(actor=actor, action="customer.merged_away", target=merged,
                     changes=changes)
    return record


def _move_all(relations: dict, survivor: Customer, merged: Customer) -> dict[str, list]:
    moved: dict[str, list] = {}
    for label, rel in relations.items():
        how = MERGE_PLAN[label]
        if how == "keep":
            continue
        model, field = rel.related_model, rel.field.name
        rows = model.objects.filter(**{field: merged})
        key = DEDUPE_KEYS.get(model._meta.label)
        if how == "dedupe" and key:
            have = model.objects.filter(**{field: survivor}).values_list(key, flat=True)
            dropped = rows.filter(**{f"{key}__in": list(have)})
            if dropped_ids := list(dropped.values_list("pk", flat=True)):
                moved[f"{label}:dropped"] = list(dropped.values(key, *_kept_columns(model)))
                model.objects.filter(pk__in=dropped_ids).delete()
        ids = list(rows.values_list("pk", flat=True))
        if ids:
            model.objects.filter(pk__in=ids).update(**{field: survivor})
            moved[label] = ids
    customer_type = ContentType.objects.get_for_model(Customer)
    for model in generic_targets():
        for gfk in (f for f in model._meta.private_fields if isinstance(f, GenericForeignKey)):
            rows = model.objects.filter(**{gfk.ct_field: customer_type,
                                           gfk.fk_field: str(merged.pk)})
            if ids := list(rows.values_list("pk", flat=True)):
                model.objects.filter(pk__in=ids).update(**{gfk.fk_field: str(survivor.pk)})
                moved[f"{model._meta.label}.{gfk.name}"] = ids
    return moved


def _kept_columns(model) -> list[str]:
    return ["email"] if model._meta.label == "contacts.CustomerEmail" else ["number"]


def _fill_blanks(survivor: Customer, merged: Customer) -> dict:
    filled = {}
    for name in FILLABLE:
        if not getattr(survivor, name) and getattr(merged, name):
            filled[name] = getattr(merged, name)
            setattr(survivor, name, getattr(merged, name))
    if filled:
        survivor.save(update_fields=list(filled))
    return filled


def customer_merge_undo(*, actor, merge: CustomerMerge) -> CustomerMerge:
    """Put a merge back, the same day, by the manager who made it: what moved moves back
    (rows linked to the survivor since stay with it), the survivor's filled-in blanks are
    cleared, and the merged record is a record again."""
    with transaction.atomic():
        merge = CustomerMerge.objects.select_for_update().get(pk=merge.pk)
        if merge.merged_by_id != getattr(actor, "pk", None) or not may_merge(actor):
            raise PermissionDenied("Only the manager who merged these records can undo it.")
        if merge.undone_at is not None:
            raise ValidationError("This merge has already been undone.")
        if timezone.localdate(merge.merged_at) != timezone.localdate():
            raise ValidationError(
                "A merge can be undone only on the day it was made. Since then other work "
                "may rely on the merged record; ask an administrator to separate them.")
        survivor = Customer.objects.select_for_update().get(pk=merge.survivor_id)
        merged = Customer.objects.select_for_update().get(pk=merge.merged_id)
        if Customer.objects.filter(merged_into=survivor).exclude(pk=merged.pk).filter(
                pk__in=[m.merged_id for m in CustomerMerge.objects.filter(
                    survivor=survivor, merged_at__gt=merge.merged_at, undone_at__isnull=True)]
        ).exists():
            raise ValidationError("Undo the later merges into this record first.")
        relations = customer_relations()
        for label, ids in merge.moved.items():
            if label.endswith(":dropped"):
                _restore_dropped(label.split(":")[0], relations, ids, merged)
                continue
            if label in relations:
                rel = relations[label]
                rel.related_model.objects.filter(pk__in=ids).update(**{rel.field.name: merged})
            else:
                app_model, gfk_name = label.rsplit(".", 1)
                model = apps.get_model(app_model)
                gfk = next(f for f in model._meta.private_fields if f.name == gfk_name)
                model.objects.filter(pk__in=ids).update(**{gfk.fk_field: str(merged.pk)})
        for name, value in merge.filled.items():
            if getattr(survivor, name) == value:
                setattr(survivor, name, "")
        survivor.save()
        merged.merged_into = None
        merged.save(update_fields=["merged_into"])
        merge.undone_at = timezone.now()
        merge.save(update_fields=["undone_at"])
        changes = {"merge": merge.pk, "survivor": survivor.pk, "merged": merged.pk}
        audit_record(actor=actor, action="customer.merge_undone", target=survivor,
                     changes=changes)
        audit_record(actor=actor, action="customer.merge_undone", target=merged,
                     changes=changes)
    return merge


def _restore_dropped(label: str, relations: dict, rows: list[dict], merged: Customer) -> None:
    model = relations[label].related_model
    for row in rows:
        instance = model(customer=merged, **{k: v for k, v in row.items()
                                             if k in ("email", "number")})
        instance.save()

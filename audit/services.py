"""Write audit events. Call these inside the transaction of the change they describe."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from audit.models import AuditEvent


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that ``actor`` did ``action`` to ``target`` (e.g. ``"restriction.approved"``)."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        changes=_storable(changes or {}),
    )


def _storable(value):
    """JSON PostgreSQL can store: jsonb refuses the NUL character (a DataError, a 500), and
    a NUL typed into a query string reached the audit row of an export's filters."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    return value


def audit_viewed(*, actor, target: models.Model, what: str = "") -> AuditEvent:
    """Record that ``actor`` opened a sensitive record (an access-log entry)."""
    model = target._meta.model_name
    return audit_record(
        actor=actor, action=f"{model}.viewed", target=target,
        changes={"what": what} if what else None,
    )


def changed_fields(instance: models.Model, before: dict[str, Any], fields: list[str]) -> dict:
    """The ``{field: [old, new]}`` map of fields whose value changed, for an audit row."""
    result = {}
    for name in fields:
        new = getattr(instance, name)
        if before.get(name) != new:
            result[name] = [_plain(before.get(name)), _plain(new)]
    return result


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value

"""Everything held on one customer, for a subject access request (UK GDPR Art. 15).

The export walks the data model instead of listing tables by hand: it starts from the
customer and follows every foreign key and many-to-many relation that points at a record
already found (contacts, case references, then whatever refers to those: classifications,
steps, call logs, restrictions, letters, appeals, at-risk reports, disclosures...), so a new
app's records are included without editing this module.

Other staff members (third parties, DPA 2018 Sch. 2 para 16): a member of staff appears by
job title and department, never by name; names the customer was given in the course of
the contact are kept where they appear in text the customer received (e.g. a named point
of contact in a restriction letter).
"""

import io
import json
import zipfile
from collections.abc import Callable
from datetime import date, datetime

from django.apps import apps
from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone

from contacts.models import Customer

# Apps whose records are about staff or the system, not the customer.
EXCLUDED_APPS = {"admin", "auth", "contenttypes", "sessions", "accounts", "audit",
                 "notifications", "axes", "otp_totp", "django_otp", "privacy"}
EXCLUDED_FIELDS = {"export", "password"}
MAX_ROUNDS = 4


def _staff_label(user) -> str:
    if user is None:
        return ""
    parts = [user.job_title or "Member of staff"]
    if user.department_id:
        parts.append(str(user.department))
    return ", ".join(parts)


def _plain(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return None
    return value


def serialise(obj: models.Model) -> dict:
    """A readable dict of one record, staff shown by job title and department."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    row: dict = {}
    for field in obj._meta.concrete_fields:
        if field.name in EXCLUDED_FIELDS:
            continue
        label = str(field.verbose_name)
        if field.is_relation and field.related_model is user_model:
            row[label] = _staff_label(getattr(obj, field.name))
        elif field.is_relation:
            related = getattr(obj, field.name)
            row[label] = str(related) if related is not None else ""
        elif field.choices:
            row[label] = getattr(obj, f"get_{field.name}_display")()
        else:
            row[label] = _plain(getattr(obj, field.attname))
    return row


def _candidate_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m._meta.app_label not in EXCLUDED_APPS]


def collect(customer: Customer, progress: Callable[[int], None] | None = None) -> dict:
    """``{model: [objects]}`` of everything linked to ``customer``."""
    found: dict[type[models.Model], dict[int, models.Model]] = {Customer: {customer.pk: customer}}
    candidates = _candidate_models()
    for round_number in range(MAX_ROUNDS):
        grew = False
        for model in candidates:
            for field in model._meta.get_fields():
                if not (field.concrete and field.is_relation) or field.related_model not in found:
                    continue
                if not (field.many_to_one or field.one_to_one or field.many_to_many):
                    continue
                ids = list(found[field.related_model])
                for obj in model.objects.filter(**{f"{field.name}__in": ids}).distinct():
                    bucket = found.setdefault(model, {})
                    if obj.pk not in bucket:
                        bucket[obj.pk] = obj
                        grew = True
        if progress:
            progress(int(80 * (round_number + 1) / MAX_ROUNDS))
        if not grew:
            break
    return {model: list(objs.values()) for model, objs in found.items()}


def build_zip(customer: Customer, progress: Callable[[int], None] | None = None) -> bytes:
    """A ZIP with ``records.json`` and a readable ``records.html``."""
    collected = collect(customer, progress)
    sections = []
    for model, objects in sorted(collected.items(), key=lambda i: i[0]._meta.label):
        rows = [serialise(o) for o in sorted(objects, key=lambda o: o.pk)]
        sections.append({"label": model._meta.label, "title": str(model._meta.verbose_name_plural
                                                                   ).capitalize(), "rows": rows})
    data = {"customer_reference": customer.reference,
            "generated_at": timezone.localtime().isoformat(),
            "records": {s["label"]: s["rows"] for s in sections}}
    html = render_to_string("privacy/sar_bundle.html", {"sections": sections, "data": data})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("records.json", json.dumps(data, indent=2, default=str))
        archive.writestr("records.html", html)
    if progress:
        progress(100)
    return buffer.getvalue()

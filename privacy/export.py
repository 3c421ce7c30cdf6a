"""Everything held on one customer, for a subject access request (UK GDPR Art. 15).

The bundle is driven by the retention rules (``privacy.registry``): every rule whose
records are about the customer names the lookup to them (``RetentionRule.customer``), so a
new model's records are included as soon as it is declared, and the bundle and retention
cannot disagree about what is personal data (``tests/privacy/test_sar_bundle.py`` checks
that every record the data model links to the customer is covered by a rule). Beside the
records: the purposes and lawful basis, the recipients (vital-interests disclosures, other
agencies, police), the sources, the restriction letters sent, and what Compliance withheld
under which exemption (Art. 15(1), 15(4); DPA 2018 Sch. 2-3).

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
from privacy import registry

EXCLUDED_FIELDS = {"export", "password"}


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


def _withheld_parts(sar) -> dict[str, object]:
    if sar is None:
        return {}
    return {w.part: w for w in sar.withholdings.all()}


def collect(customer: Customer, progress: Callable[[int], None] | None = None) -> list:
    """``[(rule, [objects])]``: every record about ``customer`` that a retention rule says is
    theirs (``RetentionRule.customer``), so the bundle and retention agree on what is
    personal data. Records about staff (welfare, accounts) are not the customer's."""
    bundle_rules = [r for r in registry.rules() if r.in_bundle]
    found: list = []
    for number, rule in enumerate(bundle_rules, start=1):
        queryset = rule.model_class.objects.filter(**{rule.customer: customer.pk})
        objects = list(queryset.order_by("pk").distinct())
        if objects:
            found.append((rule, objects))
        if progress:
            progress(int(80 * number / len(bundle_rules)))
    return found


def _date(value) -> str:
    return _plain(value) if value is not None else ""


def bundle_data(customer: Customer, sar=None,
                progress: Callable[[int], None] | None = None) -> tuple[dict, list]:
    """The bundle's contents (Art. 15(1) and (3)): records, purposes, recipients, sources,
    letters sent, and what was withheld and why."""
    collected = collect(customer, progress)
    withheld = _withheld_parts(sar)
    sections, recipients, letters, withheld_rows, sources, shown = [], [], [], [], [], []
    for rule, objects in sorted(collected, key=lambda i: i[0].model):
        label = rule.model
        if label in withheld:
            w = withheld[label]
            withheld_rows.append({"part": f"{_title(rule)} (all {len(objects)})",
                                  "exemption": w.get_exemption_display(), "reason": w.reason})
            continue
        kept = []
        origins = record_sources(rule, objects)
        for obj in objects:
            w = withheld.get(f"{label}:{obj.pk}")
            if w is not None:
                withheld_rows.append({"part": f"{_title(rule)}: one record",
                                      "exemption": w.get_exemption_display(),
                                      "reason": w.reason})
                continue
            kept.append(obj)
            if rule.recipients:
                recipients += [{**r, "when": _date(r["when"]), "record": label}
                               for r in rule.recipients(obj)]
            if rule.letters:
                letters += [{**r, "sent_on": _date(r["sent_on"])} for r in rule.letters(obj)]
        if kept:
            shown.append((rule, kept))
            sources += [{"records": _title(rule), "record": f"{label}:{o.pk}",
                         "source": origins[o.pk]} for o in kept]
            sections.append({"label": label, "title": _title(rule), "purpose": rule.purpose,
                             "lawful_basis": rule.lawful_basis, "source": rule.source,
                             "retention": _retention_text(rule),
                             "rows": [{**serialise(o), SOURCE_KEY: origins[o.pk]}
                                      for o in kept]})
    about = [] if ABOUT_PART in withheld else about_records(shown)
    if ABOUT_PART in withheld:
        w = withheld[ABOUT_PART]
        withheld_rows.append({"part": ABOUT_TITLE, "exemption": w.get_exemption_display(),
                              "reason": w.reason})
    data = {
        "customer_reference": customer.reference,
        "generated_at": timezone.localtime().isoformat(),
        "deadline": _date(sar.deadline) if sar is not None else "",
        "purposes": [{"records": s["title"], "purpose": s["purpose"],
                      "lawful_basis": s["lawful_basis"], "kept_for": s["retention"]}
                     for s in sections],
        "recipients": sorted(recipients, key=lambda r: (str(r["when"]), r["recipient"])),
        "sources": sources,
        "sources_by_kind": _sources(sections),
        "letters_sent": sorted(letters, key=lambda r: str(r["sent_on"])),
        "withheld": withheld_rows,
        "records": {s["label"]: s["rows"] for s in sections},
        "reminders_inbox_and_audit": about,
    }
    return data, sections + [{"label": ABOUT_PART, "title": a["title"], "rows": a["rows"]}
                             for a in about]


SOURCE_KEY = "Where it came from"
ABOUT_PART = "about"
ABOUT_TITLE = "Reminders, inbox messages and audit entries about your records"


def record_sources(rule, objects: list) -> dict:
    """``{pk: source}``: where each record's data came from (Art. 15(1)(g)).

    From the record's own fields when its rule says how (``record_source``: the customer by
    letter, a staff member's contact log, the telephony system, an import, another agency;
    it may return ``None`` for "no better answer"); otherwise from its first audit row
    (entered by which member of staff), then the rule's general ``source``."""
    own = {o.pk: rule.record_source(o) for o in objects} if rule.record_source else {}
    result = {pk: text for pk, text in own.items() if text}
    objects = [o for o in objects if o.pk not in result]
    if not objects:
        return result
    from django.contrib.contenttypes.models import ContentType

    from audit.models import AuditEvent

    first: dict[str, AuditEvent] = {}
    events = (AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(rule.model_class),
        target_id__in=[str(o.pk) for o in objects])
        .select_related("actor", "actor__department").order_by("occurred_at", "pk"))
    for event in events:
        first.setdefault(event.target_id, event)
    for obj in objects:
        event = first.get(str(obj.pk))
        if event is not None and event.actor_id:
            result[obj.pk] = f"entered by a member of staff ({_staff_label(event.actor)})"
        else:
            result[obj.pk] = rule.source
    return result


def about_records(collected: list) -> list[dict]:
    """The reminders (``DueItem``), the inbox messages they became (``InboxEntry``) and the
    audit rows whose target is one of the customer's records: their texts name the customer
    ("Callback due: Ann Smith"), so they are the customer's data too (Art. 15). Staff appear
    by job title; nothing targeted at another customer's record is included."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from audit.models import AuditEvent
    from notifications.models import DueItem, InboxEntry

    targets = Q(pk__in=[])
    for rule, objects in collected:
        if objects:
            targets |= Q(target_type=ContentType.objects.get_for_model(rule.model_class),
                         target_id__in=[str(o.pk) for o in objects])
    reminders = list(DueItem.objects.filter(targets).select_related(
        "recipient__department", "escalated_to__department").order_by("due_at", "pk"))
    inbox = list(InboxEntry.objects.filter(due_item__in=[r.pk for r in reminders])
                 .select_related("recipient__department").order_by("created_at", "pk"))
    audit = list(AuditEvent.objects.filter(targets).select_related(
        "actor__department", "target_type").order_by("occurred_at", "pk"))
    parts = [("Reminders to staff", reminders), ("Inbox messages to staff", inbox),
             ("Audit entries (who did what to your records)", audit)]
    return [{"title": title, "rows": [serialise(o) for o in rows]} for title, rows in parts
            if rows]


def _title(rule) -> str:
    return str(rule.model_class._meta.verbose_name_plural).capitalize()


def _retention_text(rule) -> str:
    from privacy.sweep import period_text

    return f"{period_text(rule.days)} after {rule.starts}"


def _sources(sections: list[dict]) -> list[dict]:
    by_source: dict[str, list[str]] = {}
    for section in sections:
        by_source.setdefault(section["source"], []).append(section["title"])
    return [{"source": source, "records": titles} for source, titles in sorted(
        by_source.items())]


def build_zip(customer: Customer, progress: Callable[[int], None] | None = None,
              sar=None) -> bytes:
    """A ZIP with ``records.json`` and a readable ``records.html``."""
    data, sections = bundle_data(customer, sar, progress)
    html = render_to_string("privacy/sar_bundle.html", {"sections": sections, "data": data})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("records.json", json.dumps(data, indent=2, default=str))
        archive.writestr("records.html", html)
    if progress:
        progress(100)
    return buffer.getvalue()

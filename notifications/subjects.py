"""Who an inbox entry or reminder is about, read at display time from its linked record
(issues 16, 24).

A reminder's stored text names no one ("Call back about contact 29"): names change, and a
name kept in a message or a task argument outlives the record's retention. The inbox shows
the customer's name (and, for a callback, the number to call) from the record the entry's
reminder points at, to those who may see customers (``contacts.view_customer``), with one
query per kind of record on the page whatever its length.
"""

from collections import defaultdict

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery

# "app_label.Model" -> the path from that record to its customer.
CUSTOMER_PATHS: dict[str, str] = {
    "contacts.Callback": "contact__customer",
    "contacts.Contact": "customer",
    "contacts.PersistentContactFlag": "customer",
    "contacts.WrittenCommentReview": "contact__customer",
    "callogs.TerminatedCallLog": "contact__customer",
    "restrictions.Restriction": "customer",
}
WITH_PHONE = {"contacts.Callback"}


def subjects_for(entries, user) -> dict[int, str]:
    """``{entry.pk: "Jo Caller, on 01632 960001"}`` for the entries whose reminder's record
    leads to a customer; empty for someone who may not see customers. ``entries`` must have
    ``due_item`` selected (``select_related("due_item")``)."""
    if not user.has_perm("contacts.view_customer"):
        return {}
    wanted: dict[int, list] = defaultdict(list)  # content type id -> entries
    for entry in entries:
        item = entry.due_item
        if item is not None and item.target_type_id and item.target_id.isdigit():
            wanted[item.target_type_id].append(entry)
    found: dict[int, str] = {}
    for type_id, group in wanted.items():
        content_type = ContentType.objects.get_for_id(type_id)  # cached after the first
        label = f"{content_type.app_label}.{content_type.model_class().__name__}"
        path = CUSTOMER_PATHS.get(label)
        if path is None:
            continue
        model = apps.get_model(label)
        rows = model.objects.filter(pk__in={int(e.due_item.target_id) for e in group})
        fields = ["pk", f"{path}__given_name", f"{path}__family_name", f"{path}__reference"]
        if label in WITH_PHONE:
            phones = apps.get_model("contacts.CustomerPhone").objects.filter(
                customer=OuterRef(path)).order_by("id").values("number")[:1]
            rows = rows.annotate(subject_phone=Subquery(phones))
            fields.append("subject_phone")
        customer_model = apps.get_model("contacts.Customer")
        by_pk = {}
        for row in rows.values(*fields):
            if row[f"{path}__reference"] is None:
                continue
            name = str(customer_model(given_name=row[f"{path}__given_name"],
                                family_name=row[f"{path}__family_name"],
                                reference=row[f"{path}__reference"]))
            phone = row.get("subject_phone")
            by_pk[row["pk"]] = f"{name}, on {phone}" if phone else name
        for entry in group:
            subject = by_pk.get(int(entry.due_item.target_id))
            if subject:
                found[entry.pk] = subject
    return found

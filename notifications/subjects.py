"""Who an inbox entry or reminder is about, read at display time from its linked record
(issues 16, 24).

A reminder's stored text names no one ("Call back about contact 29", "Review of restriction
12 due by 03/01/2027"): names change, and a name kept in a message, an inbox row, an email
or a task argument outlives the record's retention. The inbox and the home page's "Unread
notifications" card show the customer's name (and, for a callback, the number to call)
from the record the entry's reminder points at, to those who may see customers
(``contacts.view_customer``); and the member of staff a welfare reminder is about, to its
recipient. One query per kind of record on the page, whatever its length.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery

from accounts.models import staff_name

# "app_label.Model" -> the path from that record to its customer.
CUSTOMER_PATHS: dict[str, str] = {
    "contacts.Callback": "contact__customer",
    "contacts.Contact": "customer",
    "contacts.PersistentContactFlag": "customer",
    "contacts.WrittenCommentReview": "contact__customer",
    "contacts.NameWithheld": "contact__customer",
    "contacts.CommunicationNeedReport": "customer",
    "callogs.TerminatedCallLog": "contact__customer",
    "restrictions.Restriction": "customer",
}
# "app_label.Model" -> the path to the member of staff it is about (welfare, 8.2, 14.2; who
# gave only a first name, 10.1; who wrote a terminated-call log, 8.1). Shown to the
# recipient, a manager of that member of staff.
STAFF_PATHS: dict[str, str] = {
    "welfare.WelfareFollowUp": "staff",
    "welfare.DistressFlag": "staff",
    "contacts.NameWithheld": "recorded_by",
    "callogs.TerminatedCallLog": "author",
}
WITH_PHONE = {"contacts.Callback"}

Target = tuple[int, str]  # (content type id, target id)


def subjects_for_targets(targets: Iterable[Target], user) -> dict[Target, str]:
    """``{(type id, target id): "Jo Caller, on 01632 960001"}`` for the targets that lead to
    a customer or a member of staff. Customers' names (and numbers) only for someone who may
    see customers; one query per content type."""
    names = user.has_perm("contacts.view_customer")
    wanted: dict[int, set[int]] = defaultdict(set)
    for type_id, target_id in targets:
        if type_id and target_id and str(target_id).isdigit():
            wanted[type_id].add(int(target_id))
    found: dict[Target, str] = {}
    customer_model = apps.get_model("contacts.Customer")
    for type_id, pks in wanted.items():
        content_type = ContentType.objects.get_for_id(type_id)  # cached after the first
        model = content_type.model_class()
        if model is None:
            continue
        label = f"{content_type.app_label}.{model.__name__}"
        path = CUSTOMER_PATHS.get(label) if names else None
        staff = STAFF_PATHS.get(label)
        if path is None and staff is None:
            continue
        rows = model.objects.filter(pk__in=pks)
        fields = ["pk"]
        if path:
            fields += [f"{path}__given_name", f"{path}__family_name", f"{path}__reference"]
            if label in WITH_PHONE:
                phones = apps.get_model("contacts.CustomerPhone").objects.filter(
                    customer=OuterRef(path)).order_by("id").values("number")[:1]
                rows = rows.annotate(subject_phone=Subquery(phones))
                fields.append("subject_phone")
        if staff:
            fields += [f"{staff}__first_name", f"{staff}__last_name", f"{staff}__username"]
        for row in rows.values(*fields):
            parts = []
            if path and row[f"{path}__reference"] is not None:
                name = str(customer_model(given_name=row[f"{path}__given_name"],
                                          family_name=row[f"{path}__family_name"],
                                          reference=row[f"{path}__reference"]))
                phone = row.get("subject_phone")
                parts.append(f"{name}, on {phone}" if phone else name)
            if staff and row[f"{staff}__username"] is not None:
                who = staff_name(row[f"{staff}__first_name"], row[f"{staff}__last_name"],
                                 row[f"{staff}__username"])
                parts.append(f"{'staff: ' if parts else ''}{who}")
            if parts:
                found[(type_id, str(row["pk"]))] = "; ".join(parts)
    return found


def subjects_for(entries, user) -> dict[int, str]:
    """``{entry.pk: subject}`` for inbox entries (``select_related("due_item")``)."""
    def target(entry) -> Target | None:
        item = entry.due_item
        return (item.target_type_id, item.target_id) if item is not None else None

    targets = {entry.pk: target(entry) for entry in entries}
    found = subjects_for_targets((t for t in targets.values() if t), user)
    return {pk: found[t] for pk, t in targets.items() if t in found}

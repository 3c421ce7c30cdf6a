"""7.2 (issue 17): a caseworker's classification of one contact as "persistent" becomes a
suggestion to the line manager, who decides.

Only recent contacts are turned into suggestions (those started within
``CONTACTS_PERSISTENT_WINDOW_DAYS``): older ones are history, and raising flags for them
would fill managers' queues with contacts nobody can act on. Nothing is deleted or changed on
the contact itself: its classification and ``BehaviourChange`` rows stay as they were
recorded (the reports count them the same). A contact with no customer, or whose member of
staff has no line manager, is left as it is. Reversible: the suggestions this made are
removed, and the flags it raised with them if they hold nothing else.
"""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

MARK = "Classified as persistent on the contact before 7.2 was enforced (issue 17)"
TRIGGER = "A contact was classified as persistent by a member of staff (7.2)"


def forwards(apps, schema_editor):
    Contact = apps.get_model("contacts", "Contact")
    BehaviourChange = apps.get_model("contacts", "BehaviourChange")
    Flag = apps.get_model("contacts", "PersistentContactFlag")
    Suggestion = apps.get_model("contacts", "PersistentContactSuggestion")
    since = timezone.now() - timedelta(days=settings.CONTACTS_PERSISTENT_WINDOW_DAYS)
    recent = (Contact.objects.filter(behaviour="persistent", customer__isnull=False,
                                     started_at__gte=since,
                                     staff__line_manager__isnull=False)
              .select_related("staff").order_by("started_at", "id"))
    for contact in recent.iterator(chunk_size=500):
        flag = Flag.objects.filter(customer_id=contact.customer_id,
                                   case_reference_id=contact.case_reference_id,
                                   status="open").first()
        if flag is None:
            flag = Flag.objects.create(
                customer_id=contact.customer_id, case_reference_id=contact.case_reference_id,
                manager_id=contact.staff.line_manager_id, staff_id=contact.staff_id,
                trigger=TRIGGER)
        change = (BehaviourChange.objects.filter(contact=contact, behaviour="persistent")
                  .order_by("-recorded_at", "-id").first())
        Suggestion.objects.get_or_create(
            flag=flag, contact=contact,
            defaults={"suggested_by_id": change.recorded_by_id if change else contact.staff_id,
                      "suggested_at": change.recorded_at if change else contact.started_at,
                      "reason": MARK})
        flag.contacts.add(contact)


def backwards(apps, schema_editor):
    Flag = apps.get_model("contacts", "PersistentContactFlag")
    Suggestion = apps.get_model("contacts", "PersistentContactSuggestion")
    Suggestion.objects.filter(reason=MARK).delete()
    Flag.objects.filter(trigger=TRIGGER, status="open", suggestions__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("contacts", "0019_persistent_suggestion_and_flag_restriction"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=True),
    ]

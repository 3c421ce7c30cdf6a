"""7.2 (issue 17): contacts with no case reference count towards persistence, so they have
flags too; one open flag per customer for them (NULLs are distinct in
``one_open_persistent_flag_per_case``).

Before the constraint, any open duplicates (only possible if made by hand before this) are
joined into the oldest: their contacts and suggestions move to it and they are closed as
dismissed with the reason, so nothing is lost and the constraint can be added.
"""

from django.conf import settings
from django.db import migrations, models


def join_duplicates(apps, schema_editor):
    Flag = apps.get_model("contacts", "PersistentContactFlag")
    Suggestion = apps.get_model("contacts", "PersistentContactSuggestion")
    open_without_case = Flag.objects.filter(status="open", case_reference__isnull=True)
    customers = (open_without_case.values("customer_id")
                 .annotate(n=models.Count("id")).filter(n__gt=1)
                 .values_list("customer_id", flat=True))
    for customer_id in customers:
        first, *others = open_without_case.filter(customer_id=customer_id).order_by(
            "raised_at", "id")
        for other in others:
            first.contacts.add(*other.contacts.all())
            for suggestion in Suggestion.objects.filter(flag=other):
                if not Suggestion.objects.filter(flag=first,
                                                 contact_id=suggestion.contact_id).exists():
                    suggestion.flag = first
                    suggestion.save(update_fields=["flag"])
            other.status = "dismissed"
            other.decision_reason = f"Joined into flag {first.pk}: one open flag per customer"
            other.save(update_fields=["status", "decision_reason"])


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0020_persistent_classifications_to_suggestions'),
        ('restrictions', '0006_requester_review_items_are_notices'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(join_duplicates, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name='persistentcontactflag',
            constraint=models.UniqueConstraint(condition=models.Q(('case_reference__isnull', True), ('status', 'open')), fields=('customer',), name='one_open_persistent_flag_without_case'),
        ),
    ]

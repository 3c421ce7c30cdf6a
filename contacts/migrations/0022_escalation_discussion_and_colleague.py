"""9.1 (issue 17): an escalation records the discussion with a more senior colleague, why
escalating helps, and the colleague the caller was passed to from the staff list.

Older rows keep the name and position typed by hand in ``escalated_to_name`` and
``escalated_to_position`` (still what the contact page shows, as told to the caller). Where
the typed name is exactly the full name of one member of staff, ``escalated_to`` is linked to
them; any other row is left unlinked rather than guessed.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def link_typed_names(apps, schema_editor):
    EscalationRequest = apps.get_model("contacts", "EscalationRequest")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    by_name: dict[str, list[int]] = {}
    for pk, first, last in User.objects.values_list("pk", "first_name", "last_name"):
        name = f"{first} {last}".strip().casefold()
        if name:
            by_name.setdefault(name, []).append(pk)
    typed = (EscalationRequest.objects.filter(outcome="escalated", escalated_to__isnull=True)
             .exclude(escalated_to_name=""))
    for request in typed.iterator(chunk_size=500):
        found = by_name.get(" ".join(request.escalated_to_name.split()).casefold(), [])
        if len(found) == 1:
            request.escalated_to_id = found[0]
            request.save(update_fields=["escalated_to"])


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0021_one_open_persistent_flag_without_case'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='escalationrequest',
            name='discussed_with',
            field=models.ForeignKey(blank=True, help_text='9.1: the more senior colleague whose advice was asked.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='escalationrequest',
            name='escalated_to',
            field=models.ForeignKey(blank=True, help_text='9.1: the colleague the caller was passed to.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='escalationrequest',
            name='senior_advice',
            field=models.TextField(blank=True, help_text='9.1: the advice they gave.'),
        ),
        migrations.AddField(
            model_name='escalationrequest',
            name='why_escalation_helps',
            field=models.TextField(blank=True, help_text='9.1: why escalating would resolve the matter more effectively.'),
        ),
        migrations.RunPython(link_typed_names, migrations.RunPython.noop, elidable=True),
    ]

"""Phone numbers' search keys re-made in E.164 by phonenumbers (UK default region).

The hand-written normaliser stored UK numbers in their national form (07700900123); the
lookup now matches ``+447700900123`` however it is typed. Reversing restores the national
form for UK numbers (what the old code would have stored).
"""

from django.db import migrations, models


def to_e164(apps, schema_editor):
    from contacts.normalise import normalise_phone

    CustomerPhone = apps.get_model("contacts", "CustomerPhone")
    batch = []
    for phone in CustomerPhone.objects.only("pk", "number", "number_normalised").iterator():
        key = normalise_phone(phone.number)
        if key != phone.number_normalised:
            phone.number_normalised = key
            batch.append(phone)
        if len(batch) >= 2000:
            CustomerPhone.objects.bulk_update(batch, ["number_normalised"])
            batch = []
    CustomerPhone.objects.bulk_update(batch, ["number_normalised"])


def to_national(apps, schema_editor):
    CustomerPhone = apps.get_model("contacts", "CustomerPhone")
    batch = []
    for phone in CustomerPhone.objects.filter(number_normalised__startswith="+44").iterator():
        phone.number_normalised = "0" + phone.number_normalised[3:]
        batch.append(phone)
    CustomerPhone.objects.bulk_update(batch, ["number_normalised"], batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ("contacts", "0007_customer_preferred_name_address_language_channel"),
    ]

    operations = [
        migrations.AlterField(
            model_name="customerphone",
            name="number_normalised",
            field=models.CharField(
                db_index=True, editable=False, max_length=20,
                help_text="E.164 (+447700900123), by phonenumbers with the UK as the default "
                "region."),
        ),
        migrations.RunPython(to_e164, to_national, elidable=True),
    ]

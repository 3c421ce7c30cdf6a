"""Customer details others depend on: preferred name, postcode beside the address lines,
preferred language (English or Welsh) and preferred channel.

Existing addresses typed with the postcode as their last line have it moved into
``postcode`` (only when the line is shaped like a UK postcode); reversing puts it back.
"""

from django.db import migrations, models


def split_postcodes(apps, schema_editor):
    from contacts.postal import split_postcode

    Customer = apps.get_model("contacts", "Customer")
    for customer in Customer.objects.exclude(address="").only("pk", "address").iterator():
        lines, postcode = split_postcode(customer.address)
        if postcode:
            Customer.objects.filter(pk=customer.pk).update(address=lines, postcode=postcode)


def join_postcodes(apps, schema_editor):
    Customer = apps.get_model("contacts", "Customer")
    for customer in Customer.objects.exclude(postcode="").only("pk", "address",
                                                                "postcode").iterator():
        lines = [line for line in (customer.address, customer.postcode) if line]
        Customer.objects.filter(pk=customer.pk).update(address="\n".join(lines))


class Migration(migrations.Migration):

    dependencies = [
        ("contacts", "0006_contact_open_by_staff"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="preferred_name",
            field=models.CharField(
                blank=True,
                help_text="For example a shortened first name, or how they asked to be addressed.",
                max_length=100, verbose_name="Name they prefer to be called"),
        ),
        migrations.AlterField(
            model_name="customer",
            name="address",
            field=models.TextField(
                blank=True,
                help_text="The postal address letters go to, one line each, without the postcode.",
                verbose_name="Address"),
        ),
        migrations.AddField(
            model_name="customer",
            name="postcode",
            field=models.CharField(blank=True, max_length=10),
        ),
        migrations.AddField(
            model_name="customer",
            name="preferred_language",
            field=models.CharField(
                choices=[("en", "English"), ("cy", "Welsh")], default="en",
                help_text="Letters and documents are written in this language.",
                max_length=2),
        ),
        migrations.AddField(
            model_name="customer",
            name="preferred_channel",
            field=models.CharField(
                blank=True,
                choices=[("phone", "Telephone"), ("email", "Email"), ("letter", "Letter")],
                max_length=10, verbose_name="How they prefer us to contact them"),
        ),
        migrations.AddConstraint(
            model_name="customer",
            constraint=models.CheckConstraint(
                condition=models.Q(preferred_language__in=["en", "cy"]),
                name="customer_preferred_language_valid"),
        ),
        migrations.AddConstraint(
            model_name="customer",
            constraint=models.CheckConstraint(
                condition=models.Q(preferred_channel__in=["", "phone", "email", "letter"]),
                name="customer_preferred_channel_valid"),
        ),
        migrations.RunPython(split_postcodes, join_postcodes, elidable=True),
    ]

# Issue 17: the requester's copy of a review reminder is a notice (restriction_review_upcoming):
# only the Head or acting Head can review, so it must not escalate to the requester's manager.

from django.db import migrations


def requester_items_become_notices(apps, schema_editor):
    DueItem = apps.get_model("notifications", "DueItem")
    DueItem.objects.filter(kind="restriction_review_due", key__endswith=":requester").update(
        kind="restriction_review_upcoming")


def back(apps, schema_editor):
    DueItem = apps.get_model("notifications", "DueItem")
    DueItem.objects.filter(kind="restriction_review_upcoming").update(
        kind="restriction_review_due")


class Migration(migrations.Migration):

    dependencies = [
        ("restrictions", "0005_vary_and_overturn_on_appeal"),
        ("notifications", "0003_email_pending_indexes"),
    ]

    operations = [migrations.RunPython(requester_items_become_notices, back)]

"""The email outbox: delivery to the inbox no longer waits for the email (issue 10).

Until now ``sent_at`` was set only once the email had gone, so every row already sent (and
every row already escalated) has had its email: the backfill records that, or the first
``send_pending_emails`` would email them all again.
"""

from django.db import migrations, models

BACKFILL = """
UPDATE notifications_dueitem
   SET emailed_at = sent_at, escalation_emailed_at = escalated_at
 WHERE sent_at IS NOT NULL OR escalated_at IS NOT NULL
"""


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='dueitem',
            name='emailed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='dueitem',
            name='escalation_emailed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
    ]

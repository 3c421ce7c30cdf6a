"""Demo notifications: a couple of delivered notices and an upcoming reminder per user."""

from datetime import timedelta

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications.services import schedule, send_pending_emails, sweep

DEMO_RECIPIENTS = ("caseworker", "caseworker2", "manager", "senior", "hod")


def load_notifications() -> None:
    """Schedule (idempotently, by key) and deliver the demo items; safe to run again."""
    now = timezone.now()
    with transaction.atomic():
        for user in User.objects.filter(username__in=DEMO_RECIPIENTS):
            schedule(kind="general", key=f"demo:welcome:{user.pk}", recipient=user,
                     due_at=now - timedelta(hours=2),
                     message="Welcome to the customer contact service. Your notifications "
                             "and reminders appear here.",
                     link="/")
            schedule(kind="general", key=f"demo:procedure:{user.pk}", recipient=user,
                     due_at=now - timedelta(hours=1),
                     message="Please re-read the procedure on difficult or unacceptable "
                             "customer behaviour, section 7.",
                     link="/")
            schedule(kind="general", key=f"demo:upcoming:{user.pk}", recipient=user,
                     due_at=now + timedelta(days=1),
                     message="Team meeting tomorrow: review of terminated calls (8.2).")
    # Deliver now, and settle the emails owed without emailing the demo addresses.
    sweep()
    send_pending_emails(
        connection=get_connection("django.core.mail.backends.dummy.EmailBackend"))

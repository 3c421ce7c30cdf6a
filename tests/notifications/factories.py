"""Factories for due items (one per state) and inbox entries."""

from datetime import timedelta

import factory
from django.utils import timezone

from notifications.models import DueItem, InboxEntry
from tests.accounts.factories import UserFactory


class DueItemFactory(factory.django.DjangoModelFactory):
    """An open item due a minute ago and not yet sent."""

    class Meta:
        model = DueItem

    kind = "general"
    key = factory.Sequence(lambda n: f"test:{n}")
    recipient = factory.SubFactory(UserFactory)
    due_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=1))
    message = factory.Sequence(lambda n: f"Call back customer {n}")
    link = "/customers/"


class SentDueItemFactory(DueItemFactory):
    sent_at = factory.LazyFunction(timezone.now)


class InboxEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InboxEntry

    recipient = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Notification {n}")
    link = "/customers/"

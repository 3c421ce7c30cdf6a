"""Models shared by every app."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class SubmissionKey(models.Model):
    """A create form's one-time key, claimed by its first submission (issue 19, finding 7).

    The form carries a random hidden key; the service that creates the record claims it in the
    same transaction. A second submission of the same form (a double click, a resent POST)
    finds the key taken and gets the record the first one made instead of a second record.
    """

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    action = models.CharField(max_length=80)
    target_type = models.ForeignKey(ContentType, null=True, blank=True,
                                    on_delete=models.CASCADE)
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.action} key {self.pk}"

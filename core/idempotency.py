"""Idempotency keys for create forms (issue 19, finding 7): submitted twice, created once.

``OneTimeKeyFormMixin`` gives a create form a hidden random ``idempotency_key``; the service
that creates the record is wrapped in ``@idempotent("<action>")`` and claims the key in its
own transaction. On PostgreSQL a second, concurrent submission's INSERT of the same key waits
for the first transaction and then fails the unique index, so it returns the record the first
one made; a later resubmission does the same. A key used by someone else, or for another
action, is refused.
"""

import functools
import uuid
from collections.abc import Callable

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.models import SubmissionKey

KEY_FIELD = "idempotency_key"
KEEP_KEYS_DAYS = 7  # a resend comes within seconds; a week covers a browser's restored tab
REUSED = "This form has already been sent. Go back, reload the page and try again."


def new_key() -> str:
    return uuid.uuid4().hex


class OneTimeKeyFormMixin:
    """A hidden one-time key on a create form (rendered by crispy without a layout entry)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        init = cls.__init__

        @functools.wraps(init)
        def init_with_key(self, *args, **kw):
            init(self, *args, **kw)
            if KEY_FIELD not in self.fields:
                self.fields[KEY_FIELD] = forms.CharField(
                    widget=forms.HiddenInput, required=False, max_length=64,
                    initial=new_key)
            helper = getattr(self, "helper", None)
            if helper is not None:
                helper.render_hidden_fields = True

        cls.__init__ = init_with_key


def claim(*, key: str, user, action: str, create: Callable):
    """Run ``create()`` once per ``key``; a repeat returns what the first run made."""
    if not key:
        return create()
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = SubmissionKey.objects.create(key=key[:64], user=user, action=action)
        except IntegrityError:
            first = SubmissionKey.objects.filter(key=key[:64]).first()
            if first is None or first.user_id != user.pk or first.action != action:
                raise ValidationError(REUSED) from None
            if first.target_type_id is None:
                raise ValidationError(REUSED) from None
            return first.target_type.get_object_for_this_type(pk=first.target_id)
        result = create()
        if result is not None and getattr(result, "pk", None) is not None:
            record.target_type = ContentType.objects.get_for_model(result)
            record.target_id = str(result.pk)
            record.save(update_fields=["target_type", "target_id"])
        return result


def idempotent(action: str, *, actor: str = "actor"):
    """Wrap a create service: it takes ``idempotency_key=`` and honours it."""

    def decorate(service):
        @functools.wraps(service)
        def wrapper(*args, idempotency_key: str = "", **kwargs):
            return claim(key=idempotency_key, user=kwargs[actor], action=action,
                         create=lambda: service(*args, **kwargs))

        return wrapper

    return decorate


def forget_old_keys(*, now=None) -> int:
    """Delete keys older than ``KEEP_KEYS_DAYS`` (daily, by beat); returns how many."""
    from datetime import timedelta

    from django.utils import timezone

    cutoff = (now or timezone.now()) - timedelta(days=KEEP_KEYS_DAYS)
    return SubmissionKey.objects.filter(created_at__lt=cutoff).delete()[0]

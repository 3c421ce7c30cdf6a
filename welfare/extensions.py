"""The distress action on the contact screen (2.2)."""

from collections.abc import Iterable
from urllib.parse import urlencode

from django.urls import reverse

from core.extensions import Action


def distress_action(request, contact) -> Iterable[Action]:
    """"I feel uncomfortable or distressed", offered to any member of staff (2.2)."""
    if request.user.has_perm("welfare.raise_distress_flag"):
        query = urlencode({"contact": contact.pk})
        yield Action(label="I feel uncomfortable or distressed",
                     url=f"{reverse('welfare:distress_raise')}?{query}")

"""The demo loader (order 30) fills every restrictions screen and is safe to run again."""

import pytest

from accounts.demo import load_staff
from core import demo
from restrictions.constants import Kind, Status
from restrictions.demo import load_restrictions
from restrictions.models import Restriction
from restrictions.selectors import to_decide_for

pytestmark = pytest.mark.django_db


def test_demo_loader_is_registered_and_idempotent():
    assert load_restrictions in demo.loaders()
    load_staff(password="demo-password-2026")
    load_restrictions()
    load_restrictions()
    records = {(r.kind, r.status) for r in Restriction.objects.all()}
    assert records == {(Kind.RESTRICTION, Status.APPROVED), (Kind.ADJUSTMENT, Status.APPROVED),
                       (Kind.RESTRICTION, Status.SUBMITTED)}
    restriction = Restriction.objects.get(kind=Kind.RESTRICTION, status=Status.APPROVED)
    assert restriction.point_of_contact.username == "caseworker"
    waiting = Restriction.objects.get(status=Status.SUBMITTED)
    assert [r.pk for r in to_decide_for(waiting.department.head)] == [waiting.pk]
    assert waiting.department.head.username == "hod"

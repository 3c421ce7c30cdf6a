"""Heads and acting Heads of Department (7.2, 12.1): administrators only, audited."""

from datetime import timedelta

from django.utils import timezone

from accounts import services as s
from tests.security.permission_matrix import ADMINISTRATORS
from tests.security.service_matrix import Acts


def _today():
    return timezone.localdate()


SERVICES = {
    "accounts.services.department_head_set": Acts(
        ADMINISTRATORS, lambda w, a: s.department_head_set(
            department=w.department, head=w.other_hod, actor=a, reason="Reorganisation")),
    "accounts.services.acting_head_appoint": Acts(
        ADMINISTRATORS, lambda w, a: s.acting_head_appoint(
            department=w.department, acting_head=w.senior, actor=a, starts_on=_today(),
            ends_on=_today() + timedelta(days=5), reason="The Head's leave")),
    "accounts.services.acting_head_end": Acts(ADMINISTRATORS, lambda w, a: s.acting_head_end(
        appointment=w.acting_appointment, actor=a, reason="The Head is back")),
}

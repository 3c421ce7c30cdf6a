"""Two-factor enrolment by an administrator-issued one-time code (issue 19, finding 1).

Whoever learns a password must not be able to enrol their own authenticator. Setting one up
(first time, or again after a lost phone) needs a code an administrator issued: random, shown
once, kept only as a hash, valid for ``ENROLMENT_CODE_HOURS``, single use, every step
audited. Issuing a code removes the member of staff's existing authenticator at once, so a
lost phone stops working; the new one is confirmed with a code from the app.
"""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.constants import Role
from accounts.models import EnrolmentCode
from audit.services import audit_record

ENROLMENT_CODE_HOURS = 24
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed


def _normalise(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def enrolment_code_issue(*, user, issued_by) -> str:
    """Issue a new one-time enrolment code for ``user`` and return it (shown once).

    ``issued_by`` is an administrator other than ``user``, or None from the command line
    (``manage.py issue_enrolment_code``, for whoever runs the servers). Earlier unused codes
    stop working and so does the user's current authenticator.
    """
    if issued_by is not None:
        if not issued_by.has_role(Role.ADMINISTRATOR):
            raise PermissionDenied("Only an administrator can issue an enrolment code.")
        if issued_by.pk == user.pk:
            raise PermissionDenied("Ask another administrator to issue your enrolment code.")
    code = "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3))
    now = timezone.now()
    with transaction.atomic():
        EnrolmentCode.objects.filter(user=user, used_at__isnull=True).delete()
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        EnrolmentCode.objects.create(user=user, code_hash=_hash(code), issued_by=issued_by,
                                     issued_at=now,
                                     expires_at=now + timedelta(hours=ENROLMENT_CODE_HOURS))
        audit_record(actor=issued_by, action="user.enrolment_code_issued", target=user,
                     changes={"authenticators_removed": removed})
    return code


def enrolment_code_redeem(*, user, code: str) -> bool:
    """Use ``code`` to start setting up ``user``'s authenticator: once, before it expires."""
    with transaction.atomic():
        found = (EnrolmentCode.objects.select_for_update()
                 .filter(user=user, code_hash=_hash(code), used_at__isnull=True,
                         expires_at__gt=timezone.now()).first())
        if found is None:
            audit_record(actor=user, action="user.enrolment_code_refused", target=user)
            return False
        found.used_at = timezone.now()
        found.save(update_fields=["used_at"])
        audit_record(actor=user, action="user.enrolment_code_used", target=user)
    return True


def device_for_enrolment(user) -> TOTPDevice:
    """A new, unconfirmed authenticator for ``user`` (after a code was redeemed)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def enrolment_confirm(*, user, device: TOTPDevice) -> None:
    """The app's first code was right: this device, and only this one, is the user's."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(actor=user, action="user.two_factor_set_up", target=user)

"""Demo data (order 40): terminated contacts of the demo caseworker, one log awaiting the demo
manager's review, one draft to complete, and a welfare follow-up. Safe to run again."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from callogs.models import TerminatedCallLog
from callogs.services import calllog_create_draft, calllog_submit
from contacts.constants import Behaviour, Channel
from contacts.models import CaseReference, Contact, Customer
from core import extensions

DEMO_SUMMARY = "Demo (call logs): "


def _terminated_contact(*, staff, customer, case, minutes_ago, behaviour, reason, tag):
    summary = DEMO_SUMMARY + tag
    contact = Contact.objects.filter(staff=staff, summary=summary).first()
    if contact is not None:
        return contact, False
    started = timezone.now() - timedelta(minutes=minutes_ago)
    contact = Contact.objects.create(
        customer=customer, case_reference=case, channel=Channel.PHONE, started_at=started,
        ended_at=started + timedelta(minutes=9), staff=staff, summary=summary,
        behaviour=behaviour, terminated=True, termination_reason=reason,
    )
    return contact, True


@transaction.atomic
def load_demo_logs() -> None:
    staff = User.objects.filter(username="caseworker").first()
    if staff is None or not User.objects.filter(username="manager").exists():
        return
    customer, _ = Customer.objects.get_or_create(
        reference="CUS-DEMOLOG4", defaults={"given_name": "Pat", "family_name": "Demo-Caller"})
    case, _ = CaseReference.objects.get_or_create(reference="RFA0400001",
                                                  defaults={"customer": customer})
    first, created = _terminated_contact(
        staff=staff, customer=customer, case=case, minutes_ago=60 * 26,
        behaviour=Behaviour.OFFENSIVE, tag="submitted log",
        reason="Repeated swearing after two warnings (7.4.3); I ended the call.")
    if created:
        for provider in extensions.contact_ended:  # as the contacts end-contact service does
            provider(first, staff)
    log = TerminatedCallLog.objects.get(contact=first)
    if log.is_draft:
        calllog_submit(log=log, actor=staff)
    second, created = _terminated_contact(
        staff=staff, customer=customer, case=None, minutes_ago=45,
        behaviour=Behaviour.ABUSIVE, tag="draft log",
        reason="The caller threatened me; I ended the call (7.5.1).")
    if created:
        calllog_create_draft(contact=second, actor=staff)

"""Demo data (order 30): a restriction, an adjustment and a request waiting for ``hod``."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from contacts.models import Customer
from restrictions.constants import Adjustment, Kind, Term
from restrictions.models import Restriction
from restrictions.services import (
    Proposal,
    restriction_approve,
    restriction_create,
)

DEMO_MARK = "Demo data"
OWN_REFERENCES = ("CUS-DEMORST1", "CUS-DEMORST2", "CUS-DEMORST3")


def _customers() -> list[Customer]:
    customers = list(Customer.objects.order_by("id")[:3])
    for reference, (given, family) in zip(
        OWN_REFERENCES[len(customers):],
        (("Alex", "Morgan"), ("Jordan", "Lee"), ("Sam", "Taylor"))[len(customers):],
        strict=False,
    ):
        customers.append(Customer.objects.get_or_create(
            reference=reference, defaults={"given_name": given, "family_name": family})[0])
    return customers


@transaction.atomic
def load_restrictions() -> None:
    """Safe to run again: does nothing once the demo records exist."""
    if Restriction.objects.filter(grounds_references=DEMO_MARK).exists():
        return
    staff = {u.username: u for u in User.objects.filter(
        username__in=["manager", "hod", "caseworker"])}
    if len(staff) < 3:
        return
    restricted, adjusted, waiting = _customers()
    today = timezone.localdate()
    restriction = restriction_create(
        requested_by=staff["manager"], customer=restricted, kind=Kind.RESTRICTION,
        submit=True, proposal=Proposal(
            start_date=today, review_date=today + timedelta(days=90),
            grounds="Calls every day about the same closed case; two calls ended for abuse.",
            grounds_references=DEMO_MARK,
            terms=[Term.WRITTEN_ONLY, Term.SINGLE_POINT], placed_on_file=True,
            point_of_contact=staff["caseworker"]))
    restriction_approve(restriction=restriction, actor=staff["hod"])
    adjustment = restriction_create(
        requested_by=staff["manager"], customer=adjusted, kind=Kind.ADJUSTMENT, submit=True,
        proposal=Proposal(
            start_date=today, review_date=today + timedelta(days=180),
            grounds="The customer told us they have a hearing difficulty.",
            grounds_references=DEMO_MARK, need="Hearing difficulty",
            adjustments=[Adjustment.EMAIL_NOT_PHONE, Adjustment.LARGE_PRINT]))
    restriction_approve(restriction=adjustment, actor=staff["hod"])
    restriction_create(
        requested_by=staff["manager"], customer=waiting, kind=Kind.RESTRICTION, submit=True,
        proposal=Proposal(
            start_date=today, review_date=today + timedelta(days=90),
            grounds="Long repeated calls raising points already answered (7.2).",
            grounds_references=DEMO_MARK, terms=[Term.CALL_LENGTH], call_length_minutes=10))

"""Every legal and illegal move of the state machine (DESIGN.md; 7.2, 12)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from restrictions import services
from restrictions.constants import DECIDED, TRANSITIONS, Action, Status, Term
from restrictions.models import Appeal, Restriction
from restrictions.services import Proposal
from tests.restrictions.factories import RestrictionFactory

pytestmark = pytest.mark.django_db


def _call(action: str, restriction, org):
    """Call the service behind ``action`` as the person the policy says does it."""
    hod = org.head
    today = timezone.localdate()
    calls = {
        Action.SUBMIT: lambda: services.restriction_submit(
            restriction=restriction, actor=org.manager),
        Action.WITHDRAW: lambda: services.restriction_withdraw(
            restriction=restriction, actor=org.manager),
        Action.APPROVE: lambda: services.restriction_approve(
            restriction=restriction, actor=hod),
        Action.REFUSE: lambda: services.restriction_refuse(
            restriction=restriction, actor=hod, reason="Not persistent enough"),
        Action.RETURN: lambda: services.restriction_return(
            restriction=restriction, actor=hod, reason="Which calls?"),
        Action.START_REVIEW: lambda: services.restriction_start_review(
            restriction=restriction, actor=hod),
        Action.RENEW: lambda: services.restriction_renew(
            restriction=restriction, actor=hod, review_date=today + timedelta(days=60),
            reason="Still calling daily"),
        Action.LIFT: lambda: services.restriction_lift(
            restriction=restriction, actor=hod, reason="Behaviour improved"),
        Action.EXPIRE: lambda: services.restriction_expire(
            restriction=restriction, actor=hod, reason="Let it expire"),
        # on appeal: senior staff who took no part in the decision
        Action.VARY: lambda: services.restriction_vary_on_appeal(
            appeal=_appeal(restriction, org), actor=org.senior, reason="One call a week",
            varied=Proposal(start_date=today, terms=[Term.PHONE_SET_TIMES],
                            phone_times="Tuesdays 10 to 11")),
        Action.OVERTURN: lambda: services.restriction_overturn_on_appeal(
            appeal=_appeal(restriction, org), actor=org.senior, reason="Not abusive"),
    }
    return calls[action]()


def _appeal(restriction, org) -> Appeal:
    return Appeal.objects.create(restriction=restriction, received_on=timezone.localdate(),
                                 customer_grounds="I disagree", recorded_by=org.manager)


CASES = [(action, status) for action in Action.values for status in Status.values]


@pytest.mark.parametrize(("action", "status"), CASES)
def test_each_action_from_each_status(org, action, status):
    sources, target = TRANSITIONS[action]
    target = target or status  # VARY keeps the record where it is
    restriction = RestrictionFactory(
        customer=org.customer, requested_by=org.manager, status=status,
        decided_by=org.head if status in DECIDED else None)
    if status in sources:
        _call(action, restriction, org)
        restriction.refresh_from_db()
        assert restriction.status == target
        move = restriction.transitions.get()
        assert (move.from_status, move.to_status, move.action) == (status, target, action)
        assert move.actor is not None
        assert AuditEvent.objects.filter(action=f"restriction.{action}",
                                         target_id=str(restriction.pk)).exists()
    else:
        with pytest.raises(ValidationError):
            _call(action, restriction, org)
        restriction.refresh_from_db()
        assert restriction.status == status
        assert not restriction.transitions.exists()


def test_every_status_is_reachable_and_every_action_is_in_the_table():
    targets = {target for _, target in TRANSITIONS.values() if target is not None}
    assert targets | {Status.DRAFT} == set(Status.values)
    assert set(TRANSITIONS) == set(Action.values)


def test_database_refuses_an_unknown_status(submitted):
    with pytest.raises(IntegrityError), transaction.atomic():
        Restriction.objects.filter(pk=submitted.pk).update(status="banished")


def test_database_refuses_a_decision_by_the_requester(submitted, org):
    with pytest.raises(IntegrityError), transaction.atomic():
        Restriction.objects.filter(pk=submitted.pk).update(
            status=Status.APPROVED, decided_by=org.manager)


def test_database_refuses_an_approval_without_a_decider(submitted):
    with pytest.raises(IntegrityError), transaction.atomic():
        Restriction.objects.filter(pk=submitted.pk).update(status=Status.APPROVED)


def test_illegal_move_message_is_plain_english(org, approved):
    with pytest.raises(ValidationError, match="is approved, so it cannot be withdrawn now"):
        services.restriction_withdraw(restriction=approved, actor=org.manager)

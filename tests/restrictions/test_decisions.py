"""Request and decision: separation of duties, amendments, conflicts, dates (7.2, 12)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from notifications.models import DueItem
from restrictions import services
from restrictions.constants import Adjustment, Kind, Status, Term
from restrictions.services import Proposal
from tests.restrictions.factories import AdjustmentFactory, RestrictionFactory

pytestmark = pytest.mark.django_db


def _proposal(**overrides) -> Proposal:
    values = {"start_date": timezone.localdate(), "grounds": "Calls daily (7.2)",
              "terms": [Term.WRITTEN_ONLY]}
    return Proposal(**(values | overrides))


def test_a_line_manager_request_goes_to_their_head_of_department(org):
    restriction = services.restriction_create(
        requested_by=org.manager, customer=org.customer, kind=Kind.RESTRICTION,
        proposal=_proposal(), submit=True)
    assert restriction.status == Status.SUBMITTED
    assert restriction.department == org.dept
    item = DueItem.objects.get(kind="restriction_decision_needed")
    assert item.recipient == org.head
    assert [t.to_status for t in restriction.transitions.all()] == ["draft", "submitted"]


def test_a_head_of_departments_own_request_goes_to_the_acting_head(org):
    restriction = services.restriction_create(
        requested_by=org.head, customer=org.customer, kind=Kind.RESTRICTION,
        proposal=_proposal(), submit=True)
    assert DueItem.objects.get(kind="restriction_decision_needed").recipient == org.deputy
    with pytest.raises(PermissionDenied, match="You raised this request"):
        services.restriction_approve(restriction=restriction, actor=org.head)
    services.restriction_approve(restriction=restriction, actor=org.deputy)
    restriction.refresh_from_db()
    assert restriction.decided_by == org.deputy


def test_submit_without_anyone_to_decide_is_refused(org):
    org.dept.head = None
    org.dept.save()
    org.acting.delete()
    with pytest.raises(ValidationError, match="Customer Contact has no Head of Department"):
        services.restriction_create(requested_by=org.manager, customer=org.customer,
                                    kind=Kind.RESTRICTION, proposal=_proposal(), submit=True)


@pytest.mark.parametrize("who", ["hod2", "senior", "manager", "caseworker", "compliance"])
def test_only_the_head_or_acting_head_of_the_requesters_department_decides(org, submitted,
                                                                          who):
    with pytest.raises(PermissionDenied):
        services.restriction_approve(restriction=submitted, actor=getattr(org, who))
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_approve_with_amended_terms_needs_a_reason(org, submitted):
    amended = _proposal(terms=[Term.EMAIL_ONLY], review_date=submitted.review_date)
    with pytest.raises(ValidationError, match="reason for changing the terms"):
        services.restriction_approve(restriction=submitted, actor=org.head, amended=amended)
    services.restriction_approve(restriction=submitted, actor=org.head, amended=amended,
                                 reason="Email suits the team better")
    submitted.refresh_from_db()
    assert submitted.terms == [Term.EMAIL_ONLY]
    approval = submitted.transitions.get(action="approve")
    assert approval.changes["amended"]["terms"] == [[Term.WRITTEN_ONLY], [Term.EMAIL_ONLY]]
    assert approval.reason == "Email suits the team better"


def test_approval_schedules_review_items_for_head_and_requester(org, submitted):
    services.restriction_approve(restriction=submitted, actor=org.head)
    items = DueItem.objects.filter(kind__in=["restriction_review_due",
                                             "restriction_review_upcoming"])
    assert {(i.kind, i.recipient) for i in items} == {("restriction_review_due", org.head), (
        "restriction_review_upcoming", org.manager)}
    for item in items:
        assert timezone.localdate(item.due_at) == submitted.review_date - timedelta(days=14)


def test_refuse_and_return_need_a_reason(org, submitted):
    with pytest.raises(ValidationError, match="reason for refusing"):
        services.restriction_refuse(restriction=submitted, actor=org.head, reason=" ")
    with pytest.raises(ValidationError, match="more information"):
        services.restriction_return(restriction=submitted, actor=org.head, reason="")


def test_returned_request_can_be_changed_and_resubmitted(org, submitted):
    services.restriction_return(restriction=submitted, actor=org.head, reason="Which calls?")
    services.restriction_update(restriction=submitted, actor=org.manager,
                                proposal=_proposal(grounds="Calls on 1, 2 and 3 May"))
    services.restriction_submit(restriction=submitted, actor=org.manager)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert submitted.grounds == "Calls on 1, 2 and 3 May"


def test_someone_else_cannot_change_or_withdraw_a_request(org, submitted):
    with pytest.raises(PermissionDenied):
        services.restriction_withdraw(restriction=submitted, actor=org.senior)
    with pytest.raises(PermissionDenied):
        services.restriction_update(restriction=submitted, actor=org.head, proposal=_proposal())


def test_conflict_with_an_agreed_adjustment_must_be_acknowledged(org, submitted):
    AdjustmentFactory(customer=org.customer, requested_by=org.manager, decided_by=org.head,
                      adjustments=[Adjustment.PHONE_CONTACT])
    with pytest.raises(ValidationError) as caught:
        services.restriction_approve(restriction=submitted, actor=org.head)
    assert "conflicts_acknowledged" in caught.value.message_dict
    services.restriction_approve(restriction=submitted, actor=org.head,
                                 conflicts_acknowledged=True)
    approval = submitted.transitions.get(action="approve")
    assert "clashes with an agreed adjustment for telephone contact" in (
        approval.changes["conflicts"][0])


def test_review_date_can_be_no_later_than_the_configured_maximum(org, settings):
    start = date(2027, 1, 31)
    with pytest.raises(ValidationError, match="no more than 6 months"):
        services.check_proposal(kind=Kind.RESTRICTION,
                                proposal=_proposal(start_date=start, review_date=date(2027, 8, 1)))
    ok = services.check_proposal(kind=Kind.RESTRICTION, proposal=_proposal(
        start_date=start, review_date=date(2027, 7, 31)))
    assert ok.review_date == date(2027, 7, 31)
    settings.RESTRICTIONS_MAX_REVIEW_MONTHS = {"restriction": 3, "adjustment": 12}
    with pytest.raises(ValidationError, match="no more than 3 months"):
        services.check_proposal(kind=Kind.RESTRICTION, proposal=_proposal(
            start_date=start, review_date=date(2027, 7, 31)))


@pytest.mark.parametrize(("terms", "expected"), [
    ([Term.WRITTEN_ONLY], date(2027, 7, 15)),
    ([Term.WRITTEN_ONLY, Term.CALL_LENGTH], date(2027, 4, 15)),
])
def test_default_review_date_comes_from_the_kind_of_terms(terms, expected):
    proposal = services.check_proposal(kind=Kind.RESTRICTION, proposal=_proposal(
        start_date=date(2027, 1, 15), terms=terms, call_length_minutes=10))
    assert proposal.review_date == expected


@pytest.mark.parametrize(("terms", "field", "extra"), [
    ([Term.PHONE_SET_TIMES], "phone_times", {}),
    ([Term.CALL_LENGTH], "call_length_minutes", {}),
    ([Term.SINGLE_POINT], "point_of_contact", {}),
    ([], "terms", {}),
])
def test_structured_terms_need_their_details(terms, field, extra):
    with pytest.raises(ValidationError) as caught:
        services.check_proposal(kind=Kind.RESTRICTION, proposal=_proposal(terms=terms, **extra))
    assert field in caught.value.message_dict


def test_an_adjustment_needs_the_need_and_the_adjustments():
    with pytest.raises(ValidationError) as caught:
        services.check_proposal(kind=Kind.ADJUSTMENT, proposal=_proposal(terms=[]))
    assert {"need", "adjustments"} <= set(caught.value.message_dict)


def test_renew_needs_reasons_and_a_date_within_the_maximum(org, approved):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="reasons"):
        services.restriction_renew(restriction=approved, actor=org.head,
                                   review_date=today + timedelta(days=30), reason="")
    with pytest.raises(ValidationError, match="no more than 6 months"):
        services.restriction_renew(restriction=approved, actor=org.head,
                                   review_date=today + timedelta(days=200), reason="Still")
    with pytest.raises(PermissionDenied, match="someone else must review"):
        services.restriction_renew(restriction=RestrictionFactory(
            customer=org.customer, requested_by=org.head, status=Status.APPROVED,
            decided_by=org.deputy), actor=org.head, review_date=today + timedelta(days=30),
            reason="Still")


def test_renew_moves_the_review_items(org, approved):
    services._schedule_review(approved)
    old_keys = services._review_keys(approved)
    new_date = timezone.localdate() + timedelta(days=120)
    services.restriction_renew(restriction=approved, actor=org.head, review_date=new_date,
                               reason="Still calling")
    assert DueItem.objects.filter(key__in=old_keys, completed_at__isnull=False).count() == 2
    assert DueItem.objects.filter(key__contains=new_date.isoformat()).count() == 2

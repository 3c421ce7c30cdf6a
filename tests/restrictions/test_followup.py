"""Appeals, telling the customer, further action (13) and written contact triage."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.dates import add_working_days
from restrictions import services
from restrictions import services_followup as followup
from restrictions.constants import AppealOutcome, Status, Term, TriageOutcome
from restrictions.models import TriageItem
from restrictions.services import Proposal
from tests.restrictions.factories import ApprovedRestrictionFactory, ContactFactory

pytestmark = pytest.mark.django_db


def test_working_days_skip_weekends_and_bank_holidays():
    friday = date(2027, 3, 5)
    assert add_working_days(friday, 1) == date(2027, 3, 8)
    # Good Friday (26 March 2027) and Easter Monday (29 March) are not working days.
    assert add_working_days(friday, 20) == date(2027, 4, 6)


def _appeal(approved, org, received_on=None):
    return followup.appeal_record(restriction=approved, actor=org.manager,
                                  received_on=received_on or timezone.localdate(),
                                  customer_grounds="I only called to check progress")


def test_appeal_within_the_window_is_recorded_and_a_late_one_refused(org, approved):
    approved.letter_sent_on = date(2027, 3, 5)
    approved.save()
    # 20 working days from Friday 5 March 2027, skipping Good Friday and Easter Monday.
    with time_machine.travel(date(2027, 4, 10)):
        with pytest.raises(ValidationError, match="after the window closed on 06/04/2027"):
            _appeal(approved, org, received_on=date(2027, 4, 7))
        appeal = _appeal(approved, org, received_on=date(2027, 4, 6))
    assert appeal.outcome == ""


@pytest.mark.parametrize("who", ["head", "manager", "caseworker", "compliance", "manager2"])
def test_appeal_decider_must_be_senior_and_uninvolved(org, approved, who):
    appeal = _appeal(approved, org)
    with pytest.raises(PermissionDenied):
        followup.appeal_decide(appeal=appeal, actor=getattr(org, who),
                               outcome=AppealOutcome.UPHELD, reason="Fair")
    appeal.refresh_from_db()
    assert appeal.outcome == ""


def test_someone_who_renewed_the_decision_cannot_decide_the_appeal(org, approved):
    from restrictions.services import restriction_renew

    restriction_renew(restriction=approved, actor=org.deputy, reason="Still calling",
                      review_date=timezone.localdate() + timedelta(days=30))
    appeal = _appeal(approved, org)
    with pytest.raises(PermissionDenied, match="original decision"):
        followup.appeal_decide(appeal=appeal, actor=org.deputy,
                               outcome=AppealOutcome.UPHELD, reason="Fair")


def test_appeal_upheld_by_senior_staff(org, approved):
    appeal = followup.appeal_decide(appeal=_appeal(approved, org), actor=org.senior,
                                    outcome=AppealOutcome.UPHELD, reason="Proportionate")
    assert (appeal.outcome, appeal.decided_by) == (AppealOutcome.UPHELD, org.senior)
    with pytest.raises(ValidationError, match="already been decided"):
        followup.appeal_decide(appeal=appeal, actor=org.senior2,
                               outcome=AppealOutcome.OVERTURNED, reason="No")


def test_appeal_overturned_lifts_the_restriction(org, approved):
    followup.appeal_decide(appeal=_appeal(approved, org), actor=org.senior2,
                           outcome=AppealOutcome.OVERTURNED, reason="Calls were needed")
    approved.refresh_from_db()
    assert approved.status == Status.LIFTED
    assert approved.transitions.get().reason == "Overturned on appeal: Calls were needed"


def test_appeal_varied_changes_the_terms(org, approved):
    varied = Proposal(start_date=approved.start_date, review_date=approved.review_date,
                      terms=[Term.PHONE_SET_TIMES], phone_times="Tuesdays 10am to 11am")
    followup.appeal_decide(appeal=_appeal(approved, org), actor=org.hod2,
                           outcome=AppealOutcome.VARIED, reason="Allow one call a week",
                           varied=varied)
    approved.refresh_from_db()
    assert approved.terms == [Term.PHONE_SET_TIMES]
    assert approved.status == Status.APPROVED
    # through the state machine: a transition row like every other change (issue 17)
    move = approved.transitions.get()
    assert (move.action, move.from_status, move.to_status, move.actor) == (
        "vary", Status.APPROVED, Status.APPROVED, org.hod2)
    assert move.reason == "Varied on appeal: Allow one call a week"
    assert move.changes["varied"]["terms"] == [[Term.WRITTEN_ONLY], [Term.PHONE_SET_TIMES]]


def test_a_vary_with_the_same_terms_is_refused(org, approved):
    same = Proposal(start_date=approved.start_date, review_date=approved.review_date,
                    terms=list(approved.terms))
    with pytest.raises(ValidationError, match="same as before"):
        followup.appeal_decide(appeal=_appeal(approved, org), actor=org.hod2,
                               outcome=AppealOutcome.VARIED, reason="No change", varied=same)


def test_terms_cannot_be_varied_outside_an_open_appeal(org, approved):
    appeal = followup.appeal_decide(appeal=_appeal(approved, org), actor=org.senior,
                                    outcome=AppealOutcome.UPHELD, reason="Proportionate")
    with pytest.raises(ValidationError, match="already been decided"):
        services.restriction_vary_on_appeal(
            appeal=appeal, actor=org.senior, reason="Later change",
            varied=Proposal(start_date=approved.start_date, terms=[Term.EMAIL_ONLY]))
    with pytest.raises(PermissionDenied):
        services.restriction_overturn_on_appeal(appeal=appeal, actor=org.head, reason="x")


def test_appeal_letter_names_the_ombudsman(org, approved, client_for, settings):
    appeal = followup.appeal_decide(appeal=_appeal(approved, org), actor=org.senior,
                                    outcome=AppealOutcome.UPHELD, reason="Proportionate")
    html = client_for(org.manager).get(
        reverse("restrictions:appeal_letter", args=[appeal.pk])).content.decode()
    assert "The decision stands" in html
    assert "Proportionate" in html
    assert "Ombudsman" in html
    assert settings.RESTRICTIONS_OMBUDSMAN.split(" (")[0] in html


def test_appeal_decide_page_refuses_the_original_decider(org, approved, client_for):
    appeal = _appeal(approved, org)
    url = reverse("restrictions:appeal_decide", args=[appeal.pk])
    assert client_for(org.head).get(url).status_code == 403
    assert client_for(org.manager).get(url).status_code == 403
    assert client_for(org.senior).get(url).status_code == 200


def test_inform_exception_needs_reason_and_future_check_date(org, approved):
    with pytest.raises(ValidationError):
        followup.restriction_inform_exception(restriction=approved, actor=org.manager,
                                              reason="", check_on=date(2099, 1, 1))
    with pytest.raises(ValidationError):
        followup.restriction_inform_exception(restriction=approved, actor=org.manager,
                                              reason="Risk", check_on=timezone.localdate())


@pytest.fixture
def placed_on_file(org):
    return ApprovedRestrictionFactory(customer=org.customer, requested_by=org.manager,
                                      decided_by=org.head, placed_on_file=True)


@pytest.mark.parametrize(("channel", "direction", "expected"), [
    ("email", "inbound", True), ("letter", "inbound", True), ("web_form", "inbound", True),
    ("phone", "inbound", False), ("email", "outbound", False),
])
def test_written_contact_placed_on_file_lands_in_triage(org, placed_on_file, channel,
                                                        direction, expected):
    contact = ContactFactory(customer=org.customer, staff=org.caseworker, channel=channel,
                             direction=direction)
    item = followup.triage_item_create(contact=contact)
    assert (item is not None) is expected
    assert followup.triage_item_create(contact=contact) == item  # idempotent


def test_no_triage_without_a_placed_on_file_restriction(org, approved):
    contact = ContactFactory(customer=org.customer, staff=org.caseworker, channel="email")
    assert followup.triage_item_create(contact=contact) is None


def test_contact_ended_hook_creates_the_triage_item(org, placed_on_file):
    from core import extensions

    contact = ContactFactory(customer=org.customer, staff=org.caseworker, channel="letter")
    for hook in extensions.contact_ended:
        hook(contact, org.caseworker)
    assert TriageItem.objects.filter(contact=contact).exists()


def test_triage_sign_off_needs_both_confirmations(org, placed_on_file, client_for):
    contact = ContactFactory(customer=org.customer, staff=org.caseworker, channel="email")
    item = followup.triage_item_create(contact=contact)
    client = client_for(org.caseworker)
    assert item in client.get(reverse("restrictions:triage")).context["items"]
    url = reverse("restrictions:triage_sign_off", args=[item.pk])
    response = client.post(url, {"outcome": TriageOutcome.PLACED_ON_FILE,
                                 "no_new_information": "on"})
    assert response.status_code == 200
    assert "no safeguarding concern" in response.content.decode()
    response = client.post(url, {"outcome": TriageOutcome.PLACED_ON_FILE,
                                 "no_new_information": "on", "no_safeguarding_concern": "on"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.outcome, item.signed_off_by) == (TriageOutcome.PLACED_ON_FILE, org.caseworker)
    assert item not in client.get(reverse("restrictions:triage")).context["items"]


def test_triage_needs_action_requires_a_note(org, placed_on_file):
    item = followup.triage_item_create(contact=ContactFactory(
        customer=org.customer, staff=org.caseworker, channel="email"))
    with pytest.raises(ValidationError, match="what needs doing"):
        followup.triage_sign_off(item=item, actor=org.caseworker,
                                 outcome=TriageOutcome.NEEDS_ACTION, no_new_information=False,
                                 no_safeguarding_concern=False)


def test_the_appeal_window_runs_from_the_letters_date_not_the_decision(org, client_for):
    """Issue 17: decided weeks ago, letter printed and sent today: 20 working days from today,
    and the letter prints its own date and the deadline from it."""
    from datetime import timedelta

    from tests.restrictions.factories import ApprovedRestrictionFactory

    with time_machine.travel(date(2027, 4, 20)):
        restriction = ApprovedRestrictionFactory(
            customer=org.customer, requested_by=org.manager, decided_by=org.head)
    with time_machine.travel(date(2027, 6, 1)):  # six weeks later; no letter recorded yet
        assert followup.appeal_deadline(restriction) is None
        html = client_for(org.manager).get(
            reverse("restrictions:letter", args=[restriction.pk])).content.decode()
        assert "1 June 2027" in html  # the letter's own date
        assert "by 29 June 2027 (within 20 working days of the date of this letter" in html
        # an early request, before the letter is recorded, is not "late"
        followup.appeal_record(restriction=restriction, actor=org.manager,
                               received_on=date(2027, 6, 1) - timedelta(days=1),
                               customer_grounds="I disagree")
        followup.restriction_letter_record(restriction=restriction, actor=org.manager,
                                           sent_on=date(2027, 6, 1))
        restriction.refresh_from_db()
    assert followup.appeal_deadline(restriction) == date(2027, 6, 29)

"""9.1: escalating is discussed with someone more senior first, says why it helps, passes
the caller to a named colleague from the staff list who is more senior, and happens only on a
live contact (issue 17)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.constants import Role
from contacts import services
from contacts.constants import EscalationOutcome
from tests.contacts.factories import ContactFactory, EndedContactFactory

pytestmark = pytest.mark.django_db

WHY = "A senior can agree to review the decision under the complaints policy."
ADVICE = "Pass them to me; I can explain the review route."


@pytest.fixture
def senior(make_user):
    return make_user(Role.SENIOR_STAFF, username="senior", first_name="Sam", last_name="Okafor",
                     job_title="Team leader")


def _transfer(contact, actor, to, **extra):
    values = {"why_escalation_helps": WHY, "discussed_with": to, "senior_advice": ADVICE,
              "escalated_to": to} | extra
    return services.escalation_record(contact=contact, actor=actor,
                                      outcome=EscalationOutcome.ESCALATED, **values)


def test_a_transfer_names_the_senior_from_the_staff_list_and_records_the_discussion(
        caseworker, senior):
    contact = ContactFactory(staff=caseworker)
    request = _transfer(contact, caseworker, senior)
    assert request.escalated_to == senior
    assert request.discussed_with == senior
    assert request.escalated_to_name == "Sam Okafor"  # as told to the caller
    assert request.escalated_to_position == "Team leader"
    assert request.why_escalation_helps == WHY
    assert request.senior_advice == ADVICE


def test_a_transfer_to_a_colleague_who_is_not_more_senior_is_refused(caseworker,
                                                                    other_caseworker, senior):
    contact = ContactFactory(staff=caseworker)
    with pytest.raises(ValidationError) as excinfo:
        _transfer(contact, caseworker, other_caseworker)
    assert "more senior colleague" in excinfo.value.message_dict["escalated_to"][0]
    assert "more senior colleague" in excinfo.value.message_dict["discussed_with"][0]
    with pytest.raises(ValidationError, match="more senior"):
        _transfer(contact, caseworker, senior, escalated_to=caseworker)  # not to yourself


def test_the_line_manager_counts_as_more_senior_even_without_a_manager_role(make_user,
                                                                           manager):
    lead = make_user(Role.CASEWORKER, username="lead", first_name="Lee", last_name="Ames",
                     job_title="Lead caseworker")
    worker = make_user(Role.CASEWORKER, username="w", line_manager=lead)
    request = _transfer(ContactFactory(staff=worker), worker, lead)
    assert request.escalated_to == lead


def test_the_discussion_and_why_are_required_to_escalate(caseworker, senior):
    contact = ContactFactory(staff=caseworker)
    with pytest.raises(ValidationError) as excinfo:
        _transfer(contact, caseworker, senior, why_escalation_helps=" ", senior_advice="")
    assert set(excinfo.value.message_dict) == {"why_escalation_helps", "senior_advice"}


def test_a_position_is_needed_when_the_colleague_has_no_job_title(caseworker, make_user):
    untitled = make_user(Role.LINE_MANAGER, username="untitled", first_name="Ira",
                         last_name="Nash", job_title="")
    contact = ContactFactory(staff=caseworker)
    with pytest.raises(ValidationError, match="no job title is recorded"):
        _transfer(contact, caseworker, untitled)
    request = _transfer(contact, caseworker, untitled, escalated_to_position="Line manager")
    assert request.escalated_to_position == "Line manager"


def test_an_ended_contact_cannot_be_escalated(caseworker, senior):
    contact = EndedContactFactory(staff=caseworker)
    with pytest.raises(ValidationError, match="already ended"):
        _transfer(contact, caseworker, senior)
    with pytest.raises(ValidationError, match="already ended"):
        services.escalation_record(contact=contact, actor=caseworker,
                                   outcome=EscalationOutcome.NOT_ESCALATED, reason="Policy.")
    assert not contact.escalations.exists()


def test_the_form_lists_staff_with_job_titles_and_keeps_what_was_typed(client_for, caseworker,
                                                                       senior):
    contact = ContactFactory(staff=caseworker)
    client = client_for(caseworker)
    url = reverse("contacts:escalation_record", args=[contact.pk])
    page = client.get(url)
    assert "Sam Okafor, Team leader" in page.content.decode()
    key = page.context["form"]["idempotency_key"].value()
    response = client.post(url, {"outcome": "escalated", "why_escalation_helps": WHY,
                                 "escalated_to": senior.pk, "idempotency_key": key})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Choose the more senior colleague you discussed it with" in html
    assert WHY in html
    response = client.post(url, {"outcome": "escalated", "why_escalation_helps": WHY,
                                 "discussed_with": senior.pk, "senior_advice": ADVICE,
                                 "escalated_to": senior.pk, "idempotency_key": key})
    assert response.status_code == 302
    assert contact.escalations.get().escalated_to == senior

"""7.4.3: "If the customer indicates that they are not happy with this approach, explain that
they can make a service complaint": the warning records whether they did, and the complaint
step is owed only then."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contacts import services
from contacts.constants import Behaviour, Ending
from contacts.constants import HandlingStepKind as Step
from contacts.models import Contact, HandlingStep
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db


def _warned(caseworker, *, unhappy: bool) -> Contact:
    contact = ContactFactory(staff=caseworker)
    services.contact_classify(contact=contact, actor=caseworker, behaviour=Behaviour.OFFENSIVE)
    services.handling_step_record(contact=contact, actor=caseworker,
                                  step=Step.EXPLAINED_UNACCEPTABLE)
    services.handling_step_record(contact=contact, actor=caseworker, step=Step.WARNED_WILL_END,
                                  customer_unhappy=unhappy)
    return contact


def test_the_warning_must_say_whether_the_customer_was_unhappy(caseworker):
    contact = ContactFactory(staff=caseworker)
    services.contact_classify(contact=contact, actor=caseworker, behaviour=Behaviour.OFFENSIVE)
    services.handling_step_record(contact=contact, actor=caseworker,
                                  step=Step.EXPLAINED_UNACCEPTABLE)
    with pytest.raises(ValidationError, match=r"not happy with this approach \(7\.4\.3\)"):
        services.handling_step_record(contact=contact, actor=caseworker,
                                      step=Step.WARNED_WILL_END)
    assert not HandlingStep.objects.filter(step=Step.WARNED_WILL_END).exists()


def test_unhappy_customer_must_be_told_how_to_complain_before_the_end(caseworker):
    contact = _warned(caseworker, unhappy=True)
    assert services.next_offensive_step(contact, list(contact.steps.all())) == \
        Step.TOLD_COMPLAINT
    with pytest.raises(ValidationError, match=r"next is .Told them how to make a service"):
        services.contact_end(contact=contact, actor=caseworker, ending=Ending.TERMINATED,
                             explained=True)
    services.handling_step_record(contact=contact, actor=caseworker, step=Step.TOLD_COMPLAINT)
    services.contact_end(contact=contact, actor=caseworker, ending=Ending.TERMINATED,
                         explained=True)
    contact.refresh_from_db()
    assert contact.terminated


def test_customer_not_unhappy_may_be_ended_without_the_complaint_step(caseworker):
    contact = _warned(caseworker, unhappy=False)
    assert services.next_offensive_step(contact, list(contact.steps.all())) == \
        Step.ENDED_OFFENSIVE
    services.handling_step_record(contact=contact, actor=caseworker,
                                  step=Step.ENDED_OFFENSIVE, explained=True)
    contact.refresh_from_db()
    assert contact.terminated
    assert not HandlingStep.objects.filter(contact=contact, step=Step.TOLD_COMPLAINT).exists()


def test_complaint_route_may_still_be_given_if_they_say_so_later(caseworker):
    contact = _warned(caseworker, unhappy=False)
    services.handling_step_record(contact=contact, actor=caseworker, step=Step.TOLD_COMPLAINT)
    assert HandlingStep.objects.filter(contact=contact, step=Step.TOLD_COMPLAINT).exists()


def test_the_warning_page_asks_and_keeps_the_note(client_for, caseworker):
    contact = ContactFactory(staff=caseworker)
    services.contact_classify(contact=contact, actor=caseworker, behaviour=Behaviour.OFFENSIVE)
    services.handling_step_record(contact=contact, actor=caseworker,
                                  step=Step.EXPLAINED_UNACCEPTABLE)
    client = client_for(caseworker)
    url = reverse("contacts:contact_step", args=[contact.pk, Step.WARNED_WILL_END])
    html = client.post(url, {"note": "typed note"}).content.decode()
    assert "govuk-error-summary" in html
    assert "typed note" in html
    client.post(url, {"note": "typed note", "customer_unhappy": "no"})
    step = HandlingStep.objects.get(contact=contact, step=Step.WARNED_WILL_END)
    assert step.customer_unhappy is False
    screen = client.get(reverse("contacts:contact_detail", args=[contact.pk])).content.decode()
    assert "Next step: Ended the contact politely" in screen
    assert "is not needed" in screen

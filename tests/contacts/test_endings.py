"""Ending a contact (7.3-7.5, 8.1): a termination only along the procedure's steps; a dropped
line or a caller who hung up is a different, recorded outcome and not a termination."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from callogs.models import TerminatedCallLog
from contacts import services
from contacts.constants import Behaviour, Ending
from contacts.constants import HandlingStepKind as Step
from contacts.models import Contact, HandlingStep
from dashboards.models import ContactStaffMonth
from tests.contacts.factories import ContactFactory, EmailContactFactory

pytestmark = pytest.mark.django_db


def _classified(caseworker, behaviour, **kwargs) -> Contact:
    if behaviour == Behaviour.PERSISTENT:  # classified before 7.2 was enforced (issue 17)
        return ContactFactory(staff=caseworker, behaviour=behaviour, **kwargs)
    contact = ContactFactory(staff=caseworker, **kwargs)
    if behaviour:
        services.contact_classify(contact=contact, actor=caseworker, behaviour=behaviour)
    return contact


@pytest.mark.parametrize(("behaviour", "message"), [
    ("", "Classify the behaviour first"),
    (Behaviour.DIFFICULT, r"Difficult behaviour is tolerated.*\(7\.3\)"),
    (Behaviour.PERSISTENT, r"Persistent contact is not ended on the call \(7\.2\)"),
    (Behaviour.OFFENSIVE, r"only after the steps of 7\.4: next is .Explained precisely"),
])
def test_termination_is_refused_without_the_procedure(caseworker, behaviour, message):
    """7.3, 7.2, 7.4: no termination for an unclassified, difficult or persistent contact,
    nor for an offensive one before 7.4.1 and 7.4.3; nothing is written."""
    contact = _classified(caseworker, behaviour)
    with pytest.raises(ValidationError, match=message):
        services.contact_end(contact=contact, actor=caseworker, ending=Ending.TERMINATED,
                             explained=True, note="Shouting")
    contact.refresh_from_db()
    assert contact.is_live
    assert not contact.terminated
    assert not HandlingStep.objects.filter(contact=contact).exists()


def test_offensive_needs_the_warning_as_well_as_the_explanation(caseworker):
    """7.4.1 alone is not enough: 7.4.3's warning comes before ending (7.4.4)."""
    contact = _classified(caseworker, Behaviour.OFFENSIVE)
    services.handling_step_record(contact=contact, actor=caseworker,
                                  step=Step.EXPLAINED_UNACCEPTABLE)
    with pytest.raises(ValidationError, match=r"next is .Warned that the contact will end"):
        services.contact_end(contact=contact, actor=caseworker, ending=Ending.TERMINATED,
                             explained=True)


def test_offensive_ends_after_the_steps_through_its_ending_step(caseworker):
    contact = _classified(caseworker, Behaviour.OFFENSIVE)
    for step in (Step.EXPLAINED_UNACCEPTABLE, Step.WARNED_WILL_END, Step.TOLD_COMPLAINT):
        services.handling_step_record(contact=contact, actor=caseworker, step=step,
                                      customer_unhappy=True)
    services.contact_end(contact=contact, actor=caseworker, ending=Ending.TERMINATED,
                         explained=False, note="Talked over me")
    contact.refresh_from_db()
    assert contact.terminated
    assert contact.ending == Ending.TERMINATED
    ended = HandlingStep.objects.get(contact=contact, step=Step.ENDED_OFFENSIVE)
    assert ended.explained is False
    assert ended.note == "Talked over me"
    assert TerminatedCallLog.objects.filter(contact=contact).exists()  # 8.1


def test_abusive_may_be_ended_at_once(caseworker):
    """7.5.1: no steps first; whether the explanation was given is recorded."""
    contact = _classified(caseworker, Behaviour.ABUSIVE)
    with pytest.raises(ValidationError, match="Say whether you could explain"):
        services.contact_end(contact=contact, actor=caseworker, ending=Ending.TERMINATED)
    services.contact_end(contact=contact, actor=caseworker, ending=Ending.TERMINATED,
                         explained=True)
    contact.refresh_from_db()
    assert contact.terminated
    assert HandlingStep.objects.get(contact=contact).step == Step.ENDED_ABUSIVE


@pytest.mark.parametrize("ending", [Ending.LINE_DROPPED, Ending.CALLER_ENDED])
def test_an_exceptional_end_is_recorded_and_is_not_a_termination(caseworker, ending):
    """The line dropped or the caller hung up: any class, no steps, no terminated-call log,
    and not counted as a termination."""
    contact = _classified(caseworker, Behaviour.DIFFICULT)
    services.contact_end(contact=contact, actor=caseworker, ending=ending)
    contact.refresh_from_db()
    assert contact.ended_at is not None
    assert contact.ending == ending
    assert not contact.terminated
    assert not TerminatedCallLog.objects.filter(contact=contact).exists()


def test_an_email_cannot_drop_like_a_call(caseworker):
    contact = EmailContactFactory(staff=caseworker)
    with pytest.raises(ValidationError, match="Only a telephone call or a visit"):
        services.contact_end(contact=contact, actor=caseworker, ending=Ending.LINE_DROPPED)


def test_the_database_refuses_a_terminated_exceptional_end(caseworker):
    contact = ContactFactory(staff=caseworker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.filter(pk=contact.pk).update(terminated=True,
                                                     ending=Ending.LINE_DROPPED)


def test_reports_count_terminations_not_exceptional_ends(caseworker):
    """The reports' count tables (kept by triggers on ``terminated``) count the one
    termination, not the dropped line nor the caller who hung up."""
    services.contact_end(contact=_classified(caseworker, Behaviour.ABUSIVE), actor=caseworker,
                         ending=Ending.TERMINATED, explained=True)
    for ending in (Ending.LINE_DROPPED, Ending.CALLER_ENDED, Ending.COMPLETED):
        services.contact_end(contact=_classified(caseworker, Behaviour.OFFENSIVE),
                             actor=caseworker, ending=ending)
    row = ContactStaffMonth.objects.get(staff=caseworker)
    assert (row.contacts, row.terminated) == (4, 1)

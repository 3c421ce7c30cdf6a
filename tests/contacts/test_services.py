"""Services of paragraphs 5, 6, 7, 9 and 10: each rule both ways."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from contacts import services
from contacts.constants import Behaviour, Channel, EscalationOutcome, FlagStatus
from contacts.constants import HandlingStepKind as Step
from contacts.models import BehaviourChange, Contact, HandlingStep, NameWithheld
from core import extensions
from notifications import kinds
from notifications.models import DueItem
from tests.contacts.factories import (
    CaseReferenceFactory,
    ContactFactory,
    CustomerFactory,
    EmailContactFactory,
)

pytestmark = pytest.mark.django_db


def _messages(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# Logging ---------------------------------------------------------------------------------


def test_log_contact_for_a_customer_with_their_case(caseworker, case):
    contact = services.contact_log(
        actor=caseworker, customer=case.customer, case_reference=" rfa0123456 ",
        channel=Channel.PHONE, direction="inbound", started_at=timezone.now(), summary="Hi")
    assert contact.case_reference == case
    assert contact.staff == caseworker
    assert AuditEvent.objects.filter(action="contact.logged", target_id=str(contact.pk)).exists()


def test_log_contact_refuses_a_future_start(caseworker, case):
    with pytest.raises(ValidationError, match="must not be in the future"):
        services.contact_log(actor=caseworker, customer=case.customer, channel=Channel.PHONE,
                             direction="inbound",
                             started_at=timezone.now() + timedelta(hours=1))


def test_log_contact_refuses_an_unknown_case_reference(caseworker, case):
    with pytest.raises(ValidationError, match="no case with the reference ENQ9999999"):
        services.contact_log(actor=caseworker, customer=case.customer, channel=Channel.PHONE,
                             direction="inbound", case_reference="ENQ9999999",
                             started_at=timezone.now())


def test_log_contact_refuses_someone_elses_case(caseworker, case):
    with pytest.raises(ValidationError, match="does not belong to this customer"):
        services.contact_log(actor=caseworker, customer=CustomerFactory(),
                             channel=Channel.PHONE, direction="inbound",
                             case_reference=case.reference, started_at=timezone.now())


def test_unknown_caller_needs_the_name_they_gave(caseworker):
    with pytest.raises(ValidationError, match="name the caller gave"):
        services.contact_log(actor=caseworker, customer=None, channel=Channel.PHONE,
                             direction="inbound", started_at=timezone.now())
    contact = services.contact_log(actor=caseworker, customer=None, caller_name="Pat",
                                   channel=Channel.PHONE, direction="inbound",
                                   started_at=timezone.now())
    assert contact.customer is None
    assert contact.caller_name == "Pat"


# Classification (5, 6.1) -----------------------------------------------------------------


def test_classification_moves_up_and_keeps_each_change(caseworker):
    contact = ContactFactory(staff=caseworker)
    services.contact_classify(contact=contact, actor=caseworker, behaviour=Behaviour.DIFFICULT)
    services.contact_classify(contact=contact, actor=caseworker, behaviour=Behaviour.OFFENSIVE)
    contact.refresh_from_db()
    assert contact.behaviour == Behaviour.OFFENSIVE
    history = list(BehaviourChange.objects.filter(contact=contact).values_list(
        "behaviour", "recorded_by"))
    assert history == [(Behaviour.DIFFICULT, caseworker.pk), (Behaviour.OFFENSIVE, caseworker.pk)]


@pytest.mark.parametrize("second", [Behaviour.DIFFICULT, Behaviour.OFFENSIVE])
def test_classification_cannot_move_down_or_stay(caseworker, second):
    contact = ContactFactory(staff=caseworker)
    services.contact_classify(contact=contact, actor=caseworker, behaviour=Behaviour.OFFENSIVE)
    with pytest.raises(ValidationError, match="can only move up the scale"):
        services.contact_classify(contact=contact, actor=caseworker, behaviour=second)


def test_equality_prompt_required_for_a_recorded_communication_need(caseworker):
    contact = ContactFactory(staff=caseworker,
                             customer=CustomerFactory(communication_needs="Hard of hearing"))
    with pytest.raises(ValidationError, match=r"6\.1"):
        services.contact_classify(contact=contact, actor=caseworker,
                                  behaviour=Behaviour.DIFFICULT)
    change = services.contact_classify(contact=contact, actor=caseworker,
                                       behaviour=Behaviour.DIFFICULT, equality_considered=True,
                                       equality_note="Speaks loudly: hearing")
    assert change.equality_considered
    assert change.equality_note == "Speaks loudly: hearing"


def test_equality_prompt_from_an_adjustment_provider(caseworker, monkeypatch):
    customer = CustomerFactory()
    monkeypatch.setattr(extensions, "adjustment_checks", [lambda c: c.pk == customer.pk])
    assert services.needs_equality_prompt(customer)
    assert not services.needs_equality_prompt(CustomerFactory())


# Guided steps (7.3, 7.4, 7.5) ----------------------------------------------------------


def _offensive(caseworker) -> Contact:
    contact = ContactFactory(staff=caseworker)
    services.contact_classify(contact=contact, actor=caseworker, behaviour=Behaviour.OFFENSIVE)
    return contact


def test_offensive_steps_in_order_end_the_contact_as_terminated(caseworker, monkeypatch):
    called = []
    monkeypatch.setattr(extensions, "contact_ended",
                        [lambda contact, actor: called.append((contact.pk, actor.pk))])
    contact = _offensive(caseworker)
    for step in (Step.EXPLAINED_UNACCEPTABLE, Step.WARNED_WILL_END, Step.TOLD_COMPLAINT):
        services.handling_step_record(contact=contact, actor=caseworker, step=step,
                                      customer_unhappy=True)
    services.handling_step_record(contact=contact, actor=caseworker,
                                  step=Step.ENDED_OFFENSIVE, explained=False, note="Shouting")
    contact.refresh_from_db()
    assert contact.ended_at is not None
    assert contact.terminated
    assert "would not listen" in contact.termination_reason
    assert called == [(contact.pk, caseworker.pk)]
    assert list(HandlingStep.objects.filter(contact=contact).values_list("step", flat=True)) == [
        Step.EXPLAINED_UNACCEPTABLE, Step.WARNED_WILL_END, Step.TOLD_COMPLAINT,
        Step.ENDED_OFFENSIVE]


def test_offensive_step_out_of_order_is_refused(caseworker):
    contact = _offensive(caseworker)
    with pytest.raises(ValidationError, match=r"in order: next is .Explained precisely"):
        services.handling_step_record(contact=contact, actor=caseworker,
                                      step=Step.WARNED_WILL_END)
    assert not HandlingStep.objects.exists()


def test_offensive_steps_need_the_classification(caseworker):
    contact = ContactFactory(staff=caseworker)
    services.contact_classify(contact=contact, actor=caseworker, behaviour=Behaviour.DIFFICULT)
    with pytest.raises(ValidationError, match="offensive or insulting before"):
        services.handling_step_record(contact=contact, actor=caseworker,
                                      step=Step.EXPLAINED_UNACCEPTABLE)


def test_abusive_contact_ends_now(caseworker):
    contact = ContactFactory(staff=caseworker)
    with pytest.raises(ValidationError, match=r"7\.5\.1"):
        services.handling_step_record(contact=contact, actor=caseworker,
                                      step=Step.ENDED_ABUSIVE, explained=True)
    services.contact_classify(contact=contact, actor=caseworker, behaviour=Behaviour.ABUSIVE)
    services.handling_step_record(contact=contact, actor=caseworker, step=Step.ENDED_ABUSIVE,
                                  explained=True)
    contact.refresh_from_db()
    assert contact.terminated
    assert "explanation was given" in contact.termination_reason


def test_an_ended_contact_cannot_be_changed(caseworker):
    contact = ContactFactory(staff=caseworker)
    services.contact_end(contact=contact, actor=caseworker, outcome="Answered")
    with pytest.raises(ValidationError, match="already ended"):
        services.contact_classify(contact=contact, actor=caseworker,
                                  behaviour=Behaviour.DIFFICULT)


# Callbacks (7.3) ----------------------------------------------------------------------


def test_callback_within_24_hours_schedules_a_due_item(caseworker, other_caseworker):
    contact = ContactFactory(staff=caseworker)
    due = timezone.now() + timedelta(hours=3)
    callback = services.callback_arrange(contact=contact, actor=caseworker,
                                         assigned_to=other_caseworker, due_at=due)
    item = DueItem.objects.get(key=f"callback:{callback.pk}")
    assert item.kind == "callback_due"
    assert item.recipient == other_caseworker
    assert item.due_at == due
    assert kinds.get("callback_due").escalate_after == timedelta(hours=1)
    services.callback_mark_done(callback=callback, actor=other_caseworker)
    item.refresh_from_db()
    assert item.completed_at is not None


def test_callback_later_than_24_hours_needs_a_reason(caseworker):
    contact = ContactFactory(staff=caseworker)
    later = timezone.now() + timedelta(hours=30)
    with pytest.raises(ValidationError, match="more than 24 hours"):
        services.callback_arrange(contact=contact, actor=caseworker, assigned_to=caseworker,
                                  due_at=later)
    callback = services.callback_arrange(contact=contact, actor=caseworker,
                                         assigned_to=caseworker, due_at=later,
                                         late_reason="Customer away until Monday")
    assert callback.late_reason == "Customer away until Monday"


# Written comments (7.6) --------------------------------------------------------------


def test_written_comments_go_to_the_line_manager(caseworker, manager):
    contact = EmailContactFactory(staff=caseworker)
    review = services.written_review_raise(contact=contact, actor=caseworker,
                                           comments="Insults in paragraph 2")
    item = DueItem.objects.get(key=f"written-review:{review.pk}")
    assert review.manager == manager
    assert item.recipient == manager
    services.written_review_agree(review=review, actor=manager, agreed_reply="Polite reply")
    item.refresh_from_db()
    assert item.completed_at is not None


def test_phone_contacts_do_not_go_for_written_review(caseworker):
    with pytest.raises(ValidationError, match="Only written contacts"):
        services.written_review_raise(contact=ContactFactory(staff=caseworker),
                                      actor=caseworker, comments="x")


# Persistent contact (7.2) ------------------------------------------------------------


def test_fifth_contact_on_a_case_in_30_days_flags_the_line_manager(caseworker, manager, case):
    for days in (25, 20, 10, 5):
        ContactFactory(staff=caseworker, customer=case.customer, case_reference=case,
                       started_at=timezone.now() - timedelta(days=days))
    ContactFactory(staff=caseworker, customer=case.customer, case_reference=case,
                   started_at=timezone.now() - timedelta(days=40))  # outside the window
    assert not case.customer.persistent_flags.exists()
    services.contact_log(actor=caseworker, customer=case.customer, case_reference=case.reference,
                         channel=Channel.PHONE, direction="inbound", started_at=timezone.now())
    flag = case.customer.persistent_flags.get()
    assert flag.manager == manager
    assert flag.contacts.count() == 5
    assert DueItem.objects.get(key=f"persistent:{flag.pk}").recipient == manager


def test_no_new_information_flags_and_manager_decides(caseworker, manager, case):
    contact = ContactFactory(staff=caseworker, customer=case.customer, case_reference=case)
    flag = services.contact_mark_no_new_information(contact=contact, actor=caseworker)
    assert flag is not None
    assert flag.status == FlagStatus.OPEN
    with pytest.raises(ValidationError, match="reason for dismissing"):
        services.persistent_flag_decide(flag=flag, actor=manager,
                                        decision=FlagStatus.DISMISSED, reason="")
    services.persistent_flag_decide(flag=flag, actor=manager, decision=FlagStatus.RESTRICTION,
                                    reason="")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.RESTRICTION
    assert flag.decided_by == manager


# Escalation (9.1) ----------------------------------------------------------------------


def test_senior_callback_needs_agreed_time_or_calendar(caseworker, make_user):
    senior = make_user("Senior staff")
    contact = ContactFactory(staff=caseworker)
    at = timezone.now() + timedelta(hours=2)
    why = "The senior can agree a review of the case."
    with pytest.raises(ValidationError, match="checked their calendar"):
        services.escalation_record(contact=contact, actor=caseworker,
                                   outcome=EscalationOutcome.CALLBACK, callback_by=senior,
                                   callback_at=at, why_escalation_helps=why)
    request = services.escalation_record(contact=contact, actor=caseworker,
                                         outcome=EscalationOutcome.CALLBACK, callback_by=senior,
                                         callback_at=at, calendar_checked=True,
                                         why_escalation_helps=why)
    item = DueItem.objects.get(key=f"escalated_callback:{request.callback.pk}")
    assert item.kind == "escalated_callback_due"
    assert item.recipient == senior


def test_senior_callback_must_be_by_someone_more_senior(caseworker, other_caseworker):
    with pytest.raises(ValidationError, match="more senior colleague"):
        services.escalation_record(
            contact=ContactFactory(staff=caseworker), actor=caseworker,
            outcome=EscalationOutcome.CALLBACK, callback_by=other_caseworker,
            callback_at=timezone.now() + timedelta(hours=2), time_agreed_with_them=True,
            why_escalation_helps="They can decide.")


def test_escalated_needs_the_discussion_why_and_a_colleague_and_not_escalated_a_reason(
        caseworker):
    contact = ContactFactory(staff=caseworker)
    with pytest.raises(ValidationError) as excinfo:
        services.escalation_record(contact=contact, actor=caseworker,
                                   outcome=EscalationOutcome.ESCALATED)
    messages = excinfo.value.message_dict
    assert "why_escalation_helps" in messages
    assert "discussed_with" in messages
    assert "senior_advice" in messages
    assert "escalated_to" in messages
    with pytest.raises(ValidationError, match="reason for not escalating"):
        services.escalation_record(contact=contact, actor=caseworker,
                                   outcome=EscalationOutcome.NOT_ESCALATED)


# Name withheld (10.1) ------------------------------------------------------------------


def test_name_withheld_on_the_phone_tells_the_line_manager(caseworker, manager):
    """Only a first name given (through ``name_given_record``): an unhappy customer must
    have had the line manager's full name and the complaint procedure (10.1)."""
    contact = ContactFactory(staff=caseworker)
    first_name_only = {"given": "first_name", "department": "Customer Contact",
                       "reason": "Threats", "customer_unhappy": True}
    with pytest.raises(ValidationError, match="line manager's full name"):
        services.name_given_record(contact=contact, actor=caseworker, **first_name_only)
    assert not NameWithheld.objects.exists()
    services.name_given_record(contact=contact, actor=caseworker, **first_name_only,
                               manager_name_given=True, complaint_procedure_given=True)
    record = NameWithheld.objects.get(contact=contact)
    assert (record.customer_unhappy, record.manager_name_given,
            record.complaint_procedure_given) == (True, True, True)
    item = DueItem.objects.get(key=f"name-withheld:{record.pk}")
    assert item.kind == "name_withheld"
    assert item.recipient == manager


def test_case_reference_factory_is_upper_cased():
    assert CaseReferenceFactory(reference="enq0000001").reference == "ENQ0000001"

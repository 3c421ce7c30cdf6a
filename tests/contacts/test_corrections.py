"""Issue 17, corrections: a contact's details corrected by its handler within the edit
window (then only their line manager), audited before and after; a classification moved
down by a manager with a reason, refused once a step has ended the contact."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from audit.models import AuditEvent
from contacts import services
from contacts.constants import Ending, HandlingStepKind
from contacts.models import BehaviourChange, Contact
from tests.contacts.factories import CaseReferenceFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def senior(make_user):
    return make_user(Role.SENIOR_STAFF, Role.LINE_MANAGER, username="sn")


@pytest.fixture
def team(make_user, senior):
    manager = make_user(Role.LINE_MANAGER, username="lm_c", line_manager=senior)
    caseworker = make_user(Role.CASEWORKER, username="cw_c", line_manager=manager)
    return manager, caseworker


def _ended(caseworker, hours_ago: float) -> Contact:
    started = timezone.now() - timedelta(hours=hours_ago, minutes=10)
    return ContactFactory(staff=caseworker, started_at=started,
                          ended_at=timezone.now() - timedelta(hours=hours_ago),
                          ending=Ending.COMPLETED, summary="Asked about case RFA1")


def test_the_handler_corrects_within_the_window_audited_before_and_after(team):
    _, caseworker = team
    contact = _ended(caseworker, hours_ago=23)
    case = CaseReferenceFactory(customer=contact.customer, reference="RFA0000042")
    services.contact_correct(contact=contact, actor=caseworker, reason="Wrong case typed",
                             summary="Asked about case RFA0000042",
                             case_reference="rfa0000042", channel="in_person")
    contact.refresh_from_db()
    assert contact.case_reference == case
    assert contact.channel == "in_person"
    event = AuditEvent.objects.get(action="contact.corrected")
    assert event.changes["summary"] == ["Asked about case RFA1", "Asked about case RFA0000042"]
    assert event.changes["case_reference"] == ["", "RFA0000042"]
    assert event.changes["channel"] == ["phone", "in_person"]
    assert event.changes["reason"] == "Wrong case typed"


def test_after_the_window_only_the_line_manager_can_correct(team, senior, settings):
    manager, caseworker = team
    settings.CONTACTS_EDIT_WINDOW_HOURS = 24
    contact = _ended(caseworker, hours_ago=25)
    with pytest.raises(PermissionDenied, match="up to 24 hours after it ended"):
        services.contact_correct(contact=contact, actor=caseworker, reason="Typo",
                                 summary="Fixed")
    with pytest.raises(PermissionDenied):
        services.contact_correct(contact=contact, actor=senior, reason="Typo", summary="Fixed")
    services.contact_correct(contact=contact, actor=manager, reason="Typo", summary="Fixed")
    contact.refresh_from_db()
    assert contact.summary == "Fixed"


def test_the_window_is_a_setting(team, settings):
    _, caseworker = team
    contact = _ended(caseworker, hours_ago=3)
    settings.CONTACTS_EDIT_WINDOW_HOURS = 2
    with pytest.raises(PermissionDenied):
        services.contact_correct(contact=contact, actor=caseworker, reason="x", summary="y")
    settings.CONTACTS_EDIT_WINDOW_HOURS = 4
    services.contact_correct(contact=contact, actor=caseworker, reason="x", summary="y")


def test_a_correction_needs_a_reason_and_a_change(team):
    _, caseworker = team
    contact = _ended(caseworker, hours_ago=1)
    with pytest.raises(ValidationError, match="Say why you are correcting"):
        services.contact_correct(contact=contact, actor=caseworker, reason=" ", summary="y")
    with pytest.raises(ValidationError, match="You have not changed anything"):
        services.contact_correct(contact=contact, actor=caseworker, reason="x",
                                 summary=contact.summary, channel=contact.channel)
    with pytest.raises(ValidationError, match="There is no case"):
        services.contact_correct(contact=contact, actor=caseworker, reason="x",
                                 case_reference="NOPE")


def test_a_dropped_call_cannot_become_a_letter(team):
    _, caseworker = team
    contact = _ended(caseworker, hours_ago=1)
    Contact.objects.filter(pk=contact.pk).update(ending=Ending.LINE_DROPPED)
    contact.refresh_from_db()
    with pytest.raises(ValidationError, match="only a telephone call or a visit can"):
        services.contact_correct(contact=contact, actor=caseworker, reason="x",
                                 channel="letter")


# Downward reclassification -------------------------------------------------------------


def test_a_manager_moves_abusive_down_to_offensive_with_a_reason(team, senior):
    manager, caseworker = team
    contact = ContactFactory(staff=caseworker, behaviour="abusive")
    with pytest.raises(PermissionDenied, match="Only a manager above"):
        services.contact_reclassify_down(contact=contact, actor=caseworker,
                                         behaviour="offensive", reason="x")
    with pytest.raises(ValidationError, match="Say why"):
        services.contact_reclassify_down(contact=contact, actor=manager,
                                         behaviour="offensive", reason="")
    change = services.contact_reclassify_down(contact=contact, actor=manager,
                                              behaviour="offensive",
                                              reason="No threat was made")
    contact.refresh_from_db()
    assert contact.behaviour == "offensive"
    assert change.correction_reason == "No threat was made"
    event = AuditEvent.objects.get(action="contact.reclassified_down")
    assert event.changes == {"behaviour": ["abusive", "offensive"],
                             "reason": "No threat was made"}
    # and on down to difficult (7.4.2), by a manager further up
    services.contact_reclassify_down(contact=contact, actor=senior, behaviour="difficult",
                                     reason="Raised voice only")
    contact.refresh_from_db()
    assert contact.behaviour == "difficult"


def test_only_down_and_never_to_persistent(team):
    manager, caseworker = team
    contact = ContactFactory(staff=caseworker, behaviour="offensive")
    with pytest.raises(ValidationError, match="Choose a class below"):
        services.contact_reclassify_down(contact=contact, actor=manager, behaviour="abusive",
                                         reason="x")
    with pytest.raises(ValidationError, match="deemed by the line manager"):
        services.contact_reclassify_down(contact=contact, actor=manager,
                                         behaviour="persistent", reason="x")
    assert BehaviourChange.objects.filter(contact=contact).count() == 0


def test_a_contact_ended_for_abuse_stays_abusive(team):
    manager, caseworker = team
    contact = ContactFactory(staff=caseworker, behaviour="abusive")
    services.contact_end(contact=contact, actor=caseworker, ending=Ending.TERMINATED,
                         explained=True)
    with pytest.raises(ValidationError, match="ended at once for abusive"):
        services.contact_reclassify_down(contact=contact, actor=manager,
                                         behaviour="offensive", reason="x")


def test_a_contact_ended_after_the_74_steps_is_never_difficult(team):
    manager, caseworker = team
    contact = ContactFactory(staff=caseworker, behaviour="offensive")
    for step in (HandlingStepKind.EXPLAINED_UNACCEPTABLE, HandlingStepKind.WARNED_WILL_END):
        services.handling_step_record(contact=contact, actor=caseworker, step=step,
                                      customer_unhappy=False)
    services.contact_end(contact=contact, actor=caseworker, ending=Ending.TERMINATED,
                         explained=True)
    with pytest.raises(ValidationError, match="difficult behaviour is tolerated"):
        services.contact_reclassify_down(contact=contact, actor=manager,
                                         behaviour="difficult", reason="x")
    contact.refresh_from_db()
    assert contact.behaviour == "offensive"


# Screens ------------------------------------------------------------------------------------


def test_the_correction_form_keeps_what_was_typed(client_for, team):
    _, caseworker = team
    contact = _ended(caseworker, hours_ago=1)
    url = reverse("contacts:contact_correct", args=[contact.pk])
    client = client_for(caseworker)
    assert "Asked about case RFA1" in client.get(url).content.decode()
    response = client.post(url, {"summary": "New words", "channel": "phone", "reason": "",
                                 "case_reference": "NOPE"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "New words" in page
    response = client.post(url, {"summary": "New words", "channel": "phone", "reason": "typo",
                                 "case_reference": "NOPE"})
    page = response.content.decode()
    assert "There is no case with the reference NOPE" in page
    assert "New words" in page
    response = client.post(url, {"summary": "New words", "channel": "phone", "reason": "typo",
                                 "case_reference": ""})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.summary == "New words"


def test_the_reclassify_form_offers_only_lower_classes(client_for, team):
    manager, caseworker = team
    contact = ContactFactory(staff=caseworker, behaviour="offensive")
    url = reverse("contacts:contact_reclassify", args=[contact.pk])
    page = client_for(manager).get(url).content.decode()
    assert 'value="difficult"' in page
    assert 'value="abusive"' not in page
    assert 'value="persistent"' not in page
    response = client_for(manager).post(url, {"behaviour": "difficult", "reason": ""})
    assert "Say why the classification should be lower" in response.content.decode()
    response = client_for(manager).post(url, {"behaviour": "difficult", "reason": "Tone only"})
    assert response.status_code == 302


def test_a_corrected_case_reference_reaches_the_draft_log_but_not_a_given_one(team):
    """The terminated-call log's copy of the case reference (8.1) follows a correction while
    its author can still edit it; a log given to the manager keeps what was given."""
    from callogs.models import TerminatedCallLog
    from tests.callogs.factories import DraftLogFactory, SubmittedLogFactory

    _, caseworker = team
    draft = DraftLogFactory(contact__staff=caseworker)
    given = SubmittedLogFactory(contact__staff=caseworker)
    for log in (draft, given):
        right = CaseReferenceFactory(customer=log.contact.customer,
                                     reference=f"RFB{log.pk:07d}")
        services.contact_correct(contact=log.contact, actor=caseworker,
                                 reason="Wrong case chosen", case_reference=right.reference)
    assert TerminatedCallLog.objects.get(pk=draft.pk).case_reference == f"RFB{draft.pk:07d}"
    assert TerminatedCallLog.objects.get(pk=given.pk).case_reference == given.case_reference


def test_a_draft_log_with_its_own_reference_keeps_it(team):
    from callogs.models import TerminatedCallLog
    from tests.callogs.factories import DraftLogFactory

    _, caseworker = team
    draft = DraftLogFactory(contact__staff=caseworker, case_reference="RFC0000001")
    right = CaseReferenceFactory(customer=draft.contact.customer, reference="RFC0000002")
    services.contact_correct(contact=draft.contact, actor=caseworker, reason="Wrong case",
                             case_reference=right.reference)
    assert TerminatedCallLog.objects.get(pk=draft.pk).case_reference == "RFC0000001"


def test_a_call_the_telephone_system_opened_stays_a_telephone_call(team, make_user):
    from api.models import CallEvent
    from api.services import client_register

    _, caseworker = team
    admin = make_user(Role.ADMINISTRATOR, username="adm_c")
    telephony = client_register(actor=admin, name="Telephony", kind="telephony",
                                scopes=["lookup", "calls"])[0]
    contact = _ended(caseworker, hours_ago=1)
    CallEvent.objects.create(client=telephony, call_id="c-1", caller_number="07700900123",
                             direction="in", agent=caseworker, contact=contact)
    with pytest.raises(ValidationError) as refused:
        services.contact_correct(contact=contact, actor=caseworker, reason="Was a visit",
                                 channel="in_person")
    assert "telephone system" in str(refused.value)
    # Its summary may still be corrected.
    services.contact_correct(contact=contact, actor=caseworker, reason="Typo",
                             summary="Asked about case RFA2")
    contact.refresh_from_db()
    assert (contact.channel, contact.summary) == ("phone", "Asked about case RFA2")

"""10.1: the name and department actually given on a call; never no name at all."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.constants import Role
from audit.models import AuditEvent
from contacts import services
from contacts.models import NameGiven, NameWithheld
from notifications.emails import build
from notifications.models import DueItem
from tests.accounts.factories import DepartmentFactory
from tests.contacts.factories import ContactFactory, EmailContactFactory, EndedContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept(db):
    return DepartmentFactory(name="Customer Contact")


@pytest.fixture
def team(make_user, dept):
    manager = make_user(Role.LINE_MANAGER, username="lm_names", first_name="Morgan",
                        last_name="Reid", department=dept)
    caseworker = make_user(Role.CASEWORKER, username="cw_names", first_name="Casey",
                           last_name="Walsh", line_manager=manager, department=dept)
    return manager, caseworker


def test_the_full_name_and_department_given_are_recorded_and_audited(team):
    _, caseworker = team
    contact = ContactFactory(staff=caseworker)
    record = services.name_given_record(contact=contact, actor=caseworker, given="full",
                                        department="Customer Contact")
    assert (record.name, record.department) == ("Casey Walsh", "Customer Contact")
    assert not NameWithheld.objects.filter(contact=contact).exists()
    assert AuditEvent.objects.filter(action="namegiven.recorded",
                                     target_id=str(record.pk)).exists()


def test_a_first_name_only_needs_the_reason_and_tells_the_line_manager(team):
    manager, caseworker = team
    contact = ContactFactory(staff=caseworker)
    with pytest.raises(ValidationError, match="Say why you gave only your first name"):
        services.name_given_record(contact=contact, actor=caseworker, given="first_name",
                                   department="Customer Contact")
    assert not NameGiven.objects.exists()
    record = services.name_given_record(contact=contact, actor=caseworker, given="first_name",
                                        department="Customer Contact",
                                        reason="The caller threatened to find me")
    assert record.name == "Casey"
    withheld = NameWithheld.objects.get(contact=contact)
    item = DueItem.objects.get(key=f"name-withheld:{withheld.pk}")
    assert item.recipient == manager
    # Issue 16: the stored text names no one; the inbox names the member of staff at display
    # time (notifications.subjects).
    assert item.message.startswith("A member of staff gave only a first name")
    assert "Casey" not in item.message


@pytest.mark.parametrize("given", ["none", "", "no_name", "username"])
def test_no_name_at_all_is_refused(team, given):
    _, caseworker = team
    contact = ContactFactory(staff=caseworker)
    with pytest.raises(ValidationError, match="Under no circumstances refuse to give any name"):
        services.name_given_record(contact=contact, actor=caseworker, given=given,
                                   department="Customer Contact")
    assert not NameGiven.objects.exists()


def test_the_department_is_required(team):
    _, caseworker = team
    with pytest.raises(ValidationError, match="Enter the department you gave"):
        services.name_given_record(contact=ContactFactory(staff=caseworker), actor=caseworker,
                                   given="full", department="  ")


def test_only_a_live_call_or_visit(team):
    _, caseworker = team
    with pytest.raises(ValidationError, match="already ended"):
        services.name_given_record(contact=EndedContactFactory(staff=caseworker),
                                   actor=caseworker, given="full", department="Contact")
    with pytest.raises(ValidationError, match="always give your full name"):
        services.name_given_record(contact=EmailContactFactory(staff=caseworker),
                                   actor=caseworker, given="full", department="Contact")


def test_a_full_name_cannot_be_recorded_without_one_on_the_staff_record(make_user, team):
    manager, _ = team
    nameless = make_user(Role.CASEWORKER, username="cw_nameless", first_name="Jo",
                         last_name="", line_manager=manager)
    with pytest.raises(ValidationError, match="first and last name are not both recorded"):
        services.name_given_record(contact=ContactFactory(staff=nameless), actor=nameless,
                                   given="full", department="Customer Contact")


def test_recorded_once(team):
    _, caseworker = team
    contact = ContactFactory(staff=caseworker)
    services.name_given_record(contact=contact, actor=caseworker, given="full",
                               department="Customer Contact")
    with pytest.raises(ValidationError, match="already recorded"):
        services.name_given_record(contact=contact, actor=caseworker, given="full",
                                   department="Customer Contact")


# The screen ---------------------------------------------------------------------------------


def test_the_form_prefills_the_department_and_keeps_what_was_typed(client_for, team):
    _, caseworker = team
    contact = ContactFactory(staff=caseworker)
    url = reverse("contacts:name_given_record", args=[contact.pk])
    client = client_for(caseworker)
    page = client.get(url).content.decode()
    assert 'value="Customer Contact"' in page
    response = client.post(url, {"given": "first_name", "department": "Enquiries desk"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Say why you gave only your first name" in page
    assert 'value="Enquiries desk"' in page
    response = client.post(url, {"department": "Enquiries desk"})
    assert "You must always give at least your first name" in response.content.decode()
    response = client.post(url, {"given": "full", "department": "Enquiries desk"})
    assert response.status_code == 302
    assert NameGiven.objects.get(contact=contact).department == "Enquiries desk"
    detail = client.get(reverse("contacts:contact_detail", args=[contact.pk])).content.decode()
    assert "Casey Walsh" in detail
    assert "Enquiries desk" in detail


# Emails name people by their full name, never their username (10.1) ------------------------


def test_the_email_names_the_sender_and_the_recipient_in_full(team):
    manager, caseworker = team
    services.name_given_record(contact=ContactFactory(staff=caseworker), actor=caseworker,
                               given="first_name", department="Customer Contact",
                               reason="Threats on an earlier call")
    item = DueItem.objects.get(kind="name_withheld")
    body = build(item=item, to_user=manager, escalation=False).body
    assert body.startswith("Hello Morgan Reid,")
    assert "gave only a first name" in body
    assert "cw_names" not in body
    assert "lm_names" not in body


def test_an_email_to_someone_without_a_name_does_not_use_their_username(make_user, team):
    _, caseworker = team
    nameless = make_user(Role.LINE_MANAGER, username="lm_nameless", first_name="",
                         last_name="")
    services.name_given_record(contact=ContactFactory(staff=caseworker), actor=caseworker,
                               given="first_name", department="Customer Contact",
                               reason="Threats on an earlier call")
    item = DueItem.objects.get(kind="name_withheld")
    for escalation in (False, True):
        body = build(item=item, to_user=nameless, escalation=escalation).body
        assert body.startswith("Hello,")
        assert "lm_nameless" not in body
        assert "cw_names" not in body

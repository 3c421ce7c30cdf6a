"""Issue 19, finding 3: lists never show what the contact page refuses.

ONE rule (``contacts.visibility``) decides what of a contact a member of staff may see. For
each of the six roles (and a superuser, who is not exempt) in each of three relationships to
the contact's owner (is the owner; is above the owner in the line-manager chain; unrelated),
this walks every page that shows contact data and checks it shows the contact's details
(its summary; on the customer page also the member of staff) exactly when the contact page
itself opens, and never links to a contact page that refuses.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.constants import Role
from contacts import visibility
from contacts.constants import Behaviour
from contacts.models import Contact, PersistentContactFlag
from restrictions.models import TriageItem
from tests.accounts.factories import DepartmentFactory, UserFactory
from tests.contacts.factories import ContactFactory, CustomerFactory
from tests.restrictions.factories import ApprovedRestrictionFactory

pytestmark = pytest.mark.django_db

RELATIONSHIPS = ("owner", "above", "unrelated")
VIEWERS = (*Role.values, "superuser")
SUMMARY = "Visibility-marker said the letter was late"
STAFF_NAME = "Zebedee Ownermarker"


def _viewer(role: str):
    if role == "superuser":
        return UserFactory(username="vis_super", is_superuser=True, is_staff=True,
                           roles=[Role.ADMINISTRATOR])
    return UserFactory(username="vis_viewer", roles=[role])


def _owner(viewer, relationship: str):
    if relationship == "owner":
        return viewer
    first, last = STAFF_NAME.split()
    if relationship == "above":  # two levels down: the chain, not only the line manager
        middle = UserFactory(username="vis_middle", line_manager=viewer,
                             roles=[Role.LINE_MANAGER])
        return UserFactory(username="vis_owner", line_manager=middle, first_name=first,
                           last_name=last, roles=[Role.CASEWORKER])
    boss = UserFactory(username="vis_boss", roles=[Role.LINE_MANAGER])
    return UserFactory(username="vis_owner", line_manager=boss, first_name=first,
                       last_name=last, roles=[Role.CASEWORKER])


def _build(viewer, relationship: str):
    for name in Role.values:
        Group.objects.get_or_create(name=name)
    owner = _owner(viewer, relationship)
    customer = CustomerFactory(given_name="Vismarker", family_name="Customerson")
    contact = ContactFactory(customer=customer, staff=owner, summary=SUMMARY,
                             behaviour=Behaviour.OFFENSIVE)
    department = DepartmentFactory()
    restriction = ApprovedRestrictionFactory(
        customer=customer, requested_by=UserFactory(department=department),
        decided_by=UserFactory(department=department, roles=[Role.HEAD_OF_DEPARTMENT]))
    triage = TriageItem.objects.create(contact=contact, restriction=restriction)
    flag = PersistentContactFlag.objects.create(customer=customer, manager=viewer, staff=owner,
                                                trigger="Four contacts in a week")
    flag.contacts.add(contact)
    return contact, triage, flag


def _shows_details(html: str) -> bool:
    return SUMMARY in html


@pytest.mark.parametrize("relationship", RELATIONSHIPS)
@pytest.mark.parametrize("role", VIEWERS)
def test_every_page_agrees_with_the_contact_page(role, relationship, client_for):
    viewer = _viewer(role)
    contact, triage, flag = _build(viewer, relationship)
    client = client_for(viewer)
    detail_url = reverse("contacts:contact_detail", args=[contact.pk])
    detail = client.get(detail_url).status_code
    assert detail in (200, 403)
    may_see = detail == 200
    assert may_see == (relationship != "unrelated"), "the contact page's rule itself"
    assert may_see == visibility.may_see_contact(viewer, contact)

    # Pages that show a contact's details to those who may see them, and only its outline
    # (when, channel, case) to everyone else.
    pages = {
        "customer page": reverse("contacts:customer_detail", args=[contact.customer_id]),
        "triage sign-off": reverse("restrictions:triage_sign_off", args=[triage.pk]),
        "persistent-contact flag": reverse("contacts:flag_detail", args=[flag.pk]),
    }
    # Pages that show at most the outline to anyone.
    outline_only = {
        "search results": reverse("contacts:lookup") + "?q=Vismarker",
        "triage queue": reverse("restrictions:triage"),
        "customer audit history": reverse("audit:customer_history",
                                          args=[contact.customer_id]),
    }
    problems = []
    for name, url in {**pages, **outline_only}.items():
        response = client.get(url)
        if response.status_code != 200:
            continue  # who may open the page at all is the permission matrix's business
        html = response.content.decode()
        shows = _shows_details(html)
        if shows and not may_see:
            problems.append(f"{name} shows the contact's details; the contact page refuses")
        if name in pages and may_see and not shows:
            problems.append(f"{name} hides details the contact page shows")
        if name in outline_only and shows:
            problems.append(f"{name} should show no contact details at all")
        if detail_url in html and not may_see:
            problems.append(f"{name} links to the contact page, which refuses")
        if name == "customer page":
            assert contact.started_at.strftime("%Y") in html, "the outline is still shown"
            if relationship != "owner" and (STAFF_NAME in html) != may_see:
                problems.append("the customer page's staff column disagrees")
    assert not problems, f"{role}/{relationship}: " + "; ".join(problems)


def test_triage_sign_off_refused_to_whoever_may_not_read_it(client_for):
    """Signing off says the letter holds nothing new; someone who cannot read it cannot."""
    viewer = _viewer(Role.CASEWORKER)
    _contact, triage, _flag = _build(viewer, "unrelated")
    response = client_for(viewer).post(
        reverse("restrictions:triage_sign_off", args=[triage.pk]),
        {"outcome": "placed_on_file", "no_new_information": "on",
         "no_safeguarding_concern": "on"})
    assert response.status_code == 403
    triage.refresh_from_db()
    assert triage.signed_off_by_id is None


def test_visibility_of_a_page_of_contacts_costs_one_query(django_assert_num_queries):
    manager = UserFactory(roles=[Role.LINE_MANAGER])
    mine = [ContactFactory(staff=UserFactory(line_manager=manager)) for _ in range(3)]
    theirs = [ContactFactory() for _ in range(3)]
    contacts = Contact.objects.filter(pk__in=[c.pk for c in mine + theirs])
    with django_assert_num_queries(2):  # the chain below the manager, then the contacts
        seen = {c.pk: c.details_visible for c in visibility.with_visibility(contacts, manager)}
    assert seen == {**{c.pk: True for c in mine}, **{c.pk: False for c in theirs}}


def test_taken_over_contact_is_visible_to_the_manager_who_took_it():
    manager = UserFactory(roles=[Role.LINE_MANAGER])
    contact = ContactFactory(taken_over_by=manager)
    assert visibility.may_see_contact(manager, contact)
    assert not visibility.may_see_contact(UserFactory(roles=[Role.LINE_MANAGER]), contact)

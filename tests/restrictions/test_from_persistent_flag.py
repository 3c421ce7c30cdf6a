"""7.2: "consider restricting" starts a restriction request prefilled from the flag."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from contacts import services as contacts
from contacts.constants import FlagStatus
from restrictions import selectors, services
from restrictions.constants import Kind, Term
from restrictions.services import Proposal
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def flag(org):
    first = ContactFactory(staff=org.caseworker, customer=org.customer)
    second = ContactFactory(staff=org.caseworker, customer=org.customer)
    contacts.persistent_suggest(contact=first, actor=org.caseworker,
                                reason="Asks again about the fee we explained.")
    flag = contacts.persistent_suggest(contact=second, actor=org.caseworker,
                                       reason="Same fee, third time this week.")
    return flag


def _date(name, value):
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def _proposal(grounds: str) -> Proposal:
    return Proposal(start_date=timezone.localdate(), grounds=grounds,
                    terms=[Term.WRITTEN_ONLY])


def test_the_prefill_carries_the_flag_contacts_and_reasons(org, flag):
    contacts.persistent_flag_decide(flag=flag, actor=org.manager,
                                    decision=FlagStatus.RESTRICTION,
                                    reason="Nothing new for a month.")
    flag.refresh_from_db()
    initial = selectors.proposal_from_flag(flag)
    assert sorted(initial["grounds_contacts"]) == sorted(flag.contacts.values_list("pk",
                                                                                   flat=True))
    assert "Asks again about the fee we explained." in initial["grounds"]
    assert "Same fee, third time this week." in initial["grounds"]
    assert "Nothing new for a month." in initial["grounds"]
    assert initial["grounds_references"] == f"Persistent-contact flag {flag.pk}"


def test_a_request_from_the_flag_is_linked_once_and_only_after_the_decision(org, flag):
    with pytest.raises(ValidationError, match="Decide the persistent-contact flag first"):
        services.restriction_create(requested_by=org.manager, customer=org.customer,
                                    kind=Kind.RESTRICTION, proposal=_proposal("x"),
                                    persistent_flag=flag)
    contacts.persistent_flag_decide(flag=flag, actor=org.manager,
                                    decision=FlagStatus.RESTRICTION, reason="")
    restriction = services.restriction_create(
        requested_by=org.manager, customer=org.customer, kind=Kind.RESTRICTION,
        proposal=_proposal("From the flag"), persistent_flag=flag)
    flag.refresh_from_db()
    assert flag.restriction == restriction
    with pytest.raises(ValidationError, match="already been started"):
        services.restriction_create(requested_by=org.manager, customer=org.customer,
                                    kind=Kind.RESTRICTION, proposal=_proposal("x"),
                                    persistent_flag=flag)


def test_only_a_manager_who_may_decide_the_flag_starts_a_request_from_it(org, flag):
    contacts.persistent_flag_decide(flag=flag, actor=org.manager,
                                    decision=FlagStatus.RESTRICTION, reason="")
    with pytest.raises(PermissionDenied):
        services.restriction_create(requested_by=org.manager2, customer=org.customer,
                                    kind=Kind.RESTRICTION, proposal=_proposal("x"),
                                    persistent_flag=flag)


def test_deciding_to_consider_restricting_opens_the_prefilled_request(org, flag, client_for):
    client = client_for(org.manager)
    response = client.post(reverse("contacts:flag_detail", args=[flag.pk]),
                           {"decision": FlagStatus.RESTRICTION, "reason": "Weekly, no news."})
    expected = reverse("restrictions:create", args=[org.customer.pk]) + f"?flag={flag.pk}"
    assert response.status_code == 302
    assert response["Location"] == expected
    page = client.get(expected)
    form = page.context["form"]
    assert "Same fee, third time this week." in form["grounds"].value()
    assert sorted(int(pk) for pk in form["grounds_contacts"].value()) == sorted(
        flag.contacts.values_list("pk", flat=True))
    data = {"grounds": form["grounds"].value(), "grounds_contacts": form["grounds_contacts"]
            .value(), "terms": [Term.WRITTEN_ONLY], **_date("start_date", timezone.localdate()),
            "save_draft": "Save as draft",
            "grounds_references": form["grounds_references"].value(),
            "idempotency_key": form["idempotency_key"].value()}
    response = client.post(expected, data)
    assert response.status_code == 302, page.context["form"].errors
    flag.refresh_from_db()
    assert flag.restriction is not None
    assert flag.restriction.grounds_contacts.count() == 2

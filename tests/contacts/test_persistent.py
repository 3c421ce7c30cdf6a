"""7.2: persistent contact is deemed by the line manager; staff suggest it (issue 17)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from contacts import services
from contacts.constants import Behaviour, FlagStatus
from contacts.models import PersistentContactFlag
from notifications.models import DueItem
from tests.contacts.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_a_caseworker_cannot_classify_one_contact_as_persistent(caseworker, case):
    contact = ContactFactory(staff=caseworker, customer=case.customer, case_reference=case)
    with pytest.raises(ValidationError, match="decided by your line manager"):
        services.contact_classify(contact=contact, actor=caseworker,
                                  behaviour=Behaviour.PERSISTENT)
    contact.refresh_from_db()
    assert contact.behaviour == ""
    assert not contact.behaviour_changes.exists()


def test_the_classify_form_does_not_offer_persistent(client_for, caseworker):
    contact = ContactFactory(staff=caseworker)
    html = client_for(caseworker).get(
        reverse("contacts:contact_classify", args=[contact.pk])).content.decode()
    assert 'value="difficult"' in html
    assert 'value="persistent"' not in html


def test_a_suggestion_raises_the_flag_for_the_line_manager_who_alone_decides(
        caseworker, manager, case):
    contact = ContactFactory(staff=caseworker, customer=case.customer, case_reference=case)
    with pytest.raises(ValidationError, match="Say why"):
        services.persistent_suggest(contact=contact, actor=caseworker, reason="  ")
    flag = services.persistent_suggest(contact=contact, actor=caseworker,
                                       reason="Asks again about the fee we explained twice.")
    assert flag.status == FlagStatus.OPEN
    assert flag.manager == manager
    assert list(flag.contacts.all()) == [contact]
    suggestion = flag.suggestions.get()
    assert suggestion.suggested_by == caseworker
    assert suggestion.reason == "Asks again about the fee we explained twice."
    assert DueItem.objects.get(key=f"persistent:{flag.pk}").recipient == manager
    # The caseworker suggests; they cannot decide their own suggestion.
    with pytest.raises(PermissionDenied):
        services.persistent_flag_decide(flag=flag, actor=caseworker,
                                        decision=FlagStatus.RESTRICTION, reason="")
    services.persistent_flag_decide(flag=flag, actor=manager, decision=FlagStatus.DISMISSED,
                                    reason="Each call raised something new.")


def test_a_second_suggestion_joins_the_open_flag(caseworker, manager, case):
    first = ContactFactory(staff=caseworker, customer=case.customer, case_reference=case,
                           started_at=timezone.now() - timedelta(days=2))
    second = ContactFactory(staff=caseworker, customer=case.customer, case_reference=case)
    flag = services.persistent_suggest(contact=first, actor=caseworker, reason="Same again.")
    again = services.persistent_suggest(contact=second, actor=caseworker, reason="And again.")
    assert again.pk == flag.pk
    assert PersistentContactFlag.objects.count() == 1
    assert flag.suggestions.count() == 2
    assert DueItem.objects.filter(key=f"persistent:{flag.pk}").count() == 1
    with pytest.raises(ValidationError, match="already suggested"):
        services.persistent_suggest(contact=second, actor=caseworker, reason="Once more.")


def test_a_suggestion_needs_a_customer_and_someone_to_receive_it(caseworker, other_caseworker):
    unknown = ContactFactory(staff=caseworker, customer=None, caller_name="Sam")
    with pytest.raises(ValidationError, match="Link this contact to the customer"):
        services.persistent_suggest(contact=unknown, actor=caseworker, reason="Again.")
    alone = ContactFactory(staff=other_caseworker)  # no line manager
    with pytest.raises(ValidationError, match="no line manager available"):
        services.persistent_suggest(contact=alone, actor=other_caseworker, reason="Again.")


def test_a_colleague_outside_the_chain_cannot_suggest(caseworker, other_caseworker):
    contact = ContactFactory(staff=caseworker)
    with pytest.raises(PermissionDenied):
        services.persistent_suggest(contact=contact, actor=other_caseworker, reason="Again.")


def test_the_suggestion_form_keeps_what_was_typed_and_sends_it(client_for, caseworker,
                                                                manager):
    contact = ContactFactory(staff=caseworker)
    client = client_for(caseworker)
    url = reverse("contacts:persistent_suggest", args=[contact.pk])
    assert url in client.get(reverse("contacts:contact_detail", args=[contact.pk])
                             ).content.decode()
    page = client.get(url)
    key = page.context["form"]["idempotency_key"].value()
    response = client.post(url, {"reason": "", "idempotency_key": key})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    response = client.post(url, {"reason": "Rings daily about the same fee.",
                                 "idempotency_key": key})
    assert response.status_code == 302
    flag = contact.customer.persistent_flags.get()
    html = client_for(manager).get(reverse("contacts:flag_detail", args=[flag.pk])
                                   ).content.decode()
    assert "Rings daily about the same fee." in html


def test_recent_persistent_classifications_become_suggestions_and_old_ones_stay(
        caseworker, manager, case):
    """The data migration (contacts 0018) run on today's models: recent contacts classified
    as persistent become suggestions on an open flag; nothing on the contact changes."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "contacts.migrations.0020_persistent_classifications_to_suggestions")
    recent = ContactFactory(staff=caseworker, customer=case.customer, case_reference=case,
                            behaviour=Behaviour.PERSISTENT)
    old = ContactFactory(staff=caseworker, customer=case.customer, case_reference=case,
                         behaviour=Behaviour.PERSISTENT,
                         started_at=timezone.now() - timedelta(days=400))
    migration.forwards(apps, None)
    flag = PersistentContactFlag.objects.get()
    assert flag.manager == manager
    assert flag.status == FlagStatus.OPEN
    assert [s.contact for s in flag.suggestions.all()] == [recent]
    assert old not in flag.contacts.all()
    recent.refresh_from_db()
    assert recent.behaviour == Behaviour.PERSISTENT  # the record as it was made
    migration.forwards(apps, None)  # run twice: nothing doubled
    assert flag.suggestions.count() == 1
    migration.backwards(apps, None)
    assert not PersistentContactFlag.objects.exists()


# Contacts without a case reference (7.2, issue 17) -------------------------------------


def test_contacts_without_a_case_reference_count_towards_persistence(caseworker, manager,
                                                                     case):
    customer = case.customer
    for days in (20, 15, 10, 5):
        ContactFactory(staff=caseworker, customer=customer, case_reference=None,
                       started_at=timezone.now() - timedelta(days=days))
    ContactFactory(staff=caseworker, customer=customer, case_reference=case,
                   started_at=timezone.now() - timedelta(days=3))  # another issue: its case
    ContactFactory(staff=caseworker, customer=customer, case_reference=None,
                   started_at=timezone.now() - timedelta(days=45))  # outside the window
    services.contact_log(actor=caseworker, customer=customer, channel="phone",
                         direction="inbound", started_at=timezone.now())
    flag = customer.persistent_flags.get()
    assert flag.case_reference is None
    assert flag.contacts.count() == 5
    assert not flag.contacts.filter(case_reference__isnull=False).exists()
    assert "with no case reference" in flag.trigger
    assert DueItem.objects.get(key=f"persistent:{flag.pk}").recipient == manager


def test_no_new_information_without_a_case_joins_the_one_open_flag(caseworker, case):
    customer = case.customer
    first = ContactFactory(staff=caseworker, customer=customer, case_reference=None)
    second = ContactFactory(staff=caseworker, customer=customer, case_reference=None)
    flag = services.contact_mark_no_new_information(contact=first, actor=caseworker)
    assert flag is not None
    assert flag.case_reference is None
    again = services.contact_mark_no_new_information(contact=second, actor=caseworker)
    assert again.pk == flag.pk
    assert customer.persistent_flags.filter(status=FlagStatus.OPEN).count() == 1


def test_the_database_keeps_one_open_flag_without_a_case_per_customer(caseworker, manager,
                                                                      case):
    from django.db import IntegrityError, transaction

    customer = case.customer
    PersistentContactFlag.objects.create(customer=customer, manager=manager,
                                         staff=caseworker, trigger="First")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersistentContactFlag.objects.create(customer=customer, manager=manager,
                                             staff=caseworker, trigger="Second")
    # a decided one does not count, nor does one on a case
    PersistentContactFlag.objects.create(customer=customer, manager=manager,
                                         staff=caseworker, trigger="Old",
                                         status=FlagStatus.DISMISSED)
    PersistentContactFlag.objects.create(customer=customer, manager=manager,
                                         staff=caseworker, trigger="Case",
                                         case_reference=case)


def test_the_manager_may_deem_it_persistent_without_restricting_with_a_reason(
        caseworker, manager, case, client_for):
    """7.2: "if their contact details are known, they can consider restricting": deeming the
    contact persistent does not oblige a restriction, but not restricting needs a reason."""
    from audit.models import AuditEvent

    contact = ContactFactory(staff=caseworker, customer=case.customer, case_reference=case)
    flag = services.persistent_suggest(contact=contact, actor=caseworker,
                                       reason="Same question every day this week.")
    with pytest.raises(ValidationError, match="reason for not restricting"):
        services.persistent_flag_decide(flag=flag, actor=manager,
                                        decision=FlagStatus.PERSISTENT, reason=" ")
    response = client_for(manager).post(
        reverse("contacts:flag_detail", args=[flag.pk]),
        {"decision": FlagStatus.PERSISTENT, "reason": "We hold no address or number for them."})
    assert response.status_code == 302
    assert "/restrictions/" not in response["Location"]  # no request is opened
    flag.refresh_from_db()
    assert flag.status == FlagStatus.PERSISTENT
    assert flag.decision_reason == "We hold no address or number for them."
    assert flag.decided_by == manager
    assert AuditEvent.objects.filter(action="persistentcontactflag.persistent",
                                     target_id=str(flag.pk)).exists()
    assert DueItem.objects.get(key=f"persistent:{flag.pk}").completed_at is not None
    with pytest.raises(ValidationError, match="already been decided"):
        services.persistent_flag_decide(flag=flag, actor=manager,
                                        decision=FlagStatus.RESTRICTION, reason="")


def test_the_decision_form_offers_persistent_without_restriction(client_for, caseworker,
                                                                 manager, case):
    contact = ContactFactory(staff=caseworker, customer=case.customer, case_reference=case)
    flag = services.persistent_suggest(contact=contact, actor=caseworker, reason="Again.")
    html = client_for(manager).get(
        reverse("contacts:flag_detail", args=[flag.pk])).content.decode()
    assert 'value="persistent"' in html
    response = client_for(manager).post(reverse("contacts:flag_detail", args=[flag.pk]),
                                        {"decision": FlagStatus.PERSISTENT, "reason": ""})
    assert response.status_code == 200
    assert "Give the reason for not restricting the contact" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()


def test_joining_the_flag_reads_the_windows_contact_ids_not_their_rows(caseworker, manager,
                                                                       case):
    """A persistent customer's 7.2 window can hold hundreds of contacts: logging one more
    adds their ids to the open flag without reading each contact's row (issue 23: at
    1,000,000 customers it was most of the cost of logging a contact)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    customer = case.customer
    for _ in range(30):
        ContactFactory(staff=caseworker, customer=customer, case_reference=None)
    with CaptureQueriesContext(connection) as queries:
        services.contact_log(actor=caseworker, customer=customer, channel="phone",
                             direction="inbound", started_at=timezone.now())
    flag = customer.persistent_flags.get()
    assert flag.contacts.count() == 31
    whole_rows = [q["sql"] for q in queries if q["sql"].startswith("SELECT")
                  and '"contacts_contact"."summary"' in q["sql"]]
    assert whole_rows == []

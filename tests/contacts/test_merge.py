"""Merging duplicate customers (issue 16): every linked record moves (checked over every
relation to Customer, found by introspection), the tombstone redirects, 12.3 conflicts
must be acknowledged, and the same manager can undo it the same day."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from api.models import ExternalCustomer
from audit.models import AuditEvent
from contacts import merge_services
from contacts.merge_services import (
    MERGE_PLAN,
    customer_merge,
    customer_merge_undo,
    customer_relations,
)
from contacts.models import Customer, CustomerMerge
from notifications.models import DueItem
from restrictions.models import FurtherAction
from tests.contacts.factories import CustomerEmailFactory, CustomerFactory, CustomerPhoneFactory
from tests.restrictions.factories import AdjustmentFactory, ApprovedRestrictionFactory
from tests.security.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def _everything_linked_to(world) -> Customer:
    """A customer with at least one row in every relation there is to Customer."""
    customer = world.customer
    for name in ("contact", "terminated_contact", "callback", "flag", "submitted_log",
                 "restriction", "report", "disclosure", "sar", "challenge", "need_report",
                 "legal_hold", "stored_letter"):
        getattr(world, name)
    ExternalCustomer.objects.create(client=world.system_client, external_id="CMEH-9",
                                    customer=customer)
    CustomerEmailFactory(customer=customer, email="same@example.com")
    CustomerEmailFactory(customer=customer, email="only-merged@example.com")
    CustomerPhoneFactory(customer=customer, number="07700 900321")
    FurtherAction.objects.create(customer=customer, kind="police", reference="CRIME/1",
                                 taken_on=timezone.localdate(), taken_by=world.hod,
                                 recorded_by=world.hod)
    earlier = CustomerFactory()
    earlier.merged_into = customer
    earlier.save(update_fields=["merged_into"])
    DueItem.objects.create(kind="callback", key=f"customer:{customer.pk}",
                           recipient=world.manager, due_at=timezone.now(), target=customer,
                           message="About this customer")
    return customer


def test_merge_knows_every_relation_to_customer():
    """A new foreign key to Customer that merge was not told about fails here (and the
    merge refuses to run), so nothing linked is ever left behind."""
    assert set(customer_relations()) == set(MERGE_PLAN)


def test_an_undeclared_relation_stops_the_merge(world, monkeypatch):
    monkeypatch.delitem(MERGE_PLAN, "atrisk.AtRiskReport.customer")
    with pytest.raises(ImproperlyConfigured, match="AtRiskReport"):
        customer_merge(actor=world.manager, survivor=CustomerFactory(),
                       merged=CustomerFactory())


def test_every_linked_record_moves_to_the_survivor(world):
    merged = _everything_linked_to(world)
    survivor = CustomerFactory(address="", postcode="")
    CustomerEmailFactory(customer=survivor, email="SAME@example.com")
    relations = customer_relations()
    before = {label: rel.related_model.objects.filter(**{rel.field.name: merged}).count()
              for label, rel in relations.items() if MERGE_PLAN[label] != "keep"}
    empty = [label for label, count in before.items() if not count]
    assert not empty, f"the fixture must link a row through every relation: {empty}"
    customer_merge(actor=world.manager, survivor=survivor, merged=merged,
                   conflicts_acknowledged=True)
    for label, rel in relations.items():
        if MERGE_PLAN[label] == "keep":
            continue
        left = rel.related_model.objects.filter(**{rel.field.name: merged}).count()
        assert left == 0, f"{label}: {left} rows left on the merged record"
    assert sorted(survivor.emails.values_list("email_normalised", flat=True)) == [
        "only-merged@example.com", "same@example.com"]  # the duplicate email dropped
    assert survivor.contacts.count() == 3  # with their callbacks and call logs
    assert survivor.restrictions.count() == before["restrictions.Restriction.customer"]
    assert DueItem.objects.get(key=f"customer:{merged.pk}").target_id == str(survivor.pk)
    merged.refresh_from_db()
    assert merged.merged_into == survivor
    assert survivor.merged_records.count() == 2  # the earlier tombstone redirects here too
    event = AuditEvent.objects.get(action="customer.merged")
    assert event.target_id == str(survivor.pk)
    assert event.changes["merged"] == merged.pk
    assert AuditEvent.objects.filter(action="customer.merged_away",
                                     target_id=str(merged.pk)).exists()


def test_two_restrictions_in_force_must_be_acknowledged(world):
    survivor, merged = CustomerFactory(), CustomerFactory()
    ApprovedRestrictionFactory(customer=survivor, requested_by=world.manager,
                               decided_by=world.hod)
    ApprovedRestrictionFactory(customer=merged, requested_by=world.manager,
                               decided_by=world.hod)
    with pytest.raises(ValidationError, match="Both records have restricted contact"):
        customer_merge(actor=world.manager, survivor=survivor, merged=merged)
    assert Customer.objects.get(pk=merged.pk).merged_into is None
    record = customer_merge(actor=world.manager, survivor=survivor, merged=merged,
                            conflicts_acknowledged=True)
    assert len(record.conflicts_acknowledged) == 1


def test_a_restriction_and_an_adjustment_must_be_acknowledged(world):
    survivor, merged = CustomerFactory(), CustomerFactory()
    ApprovedRestrictionFactory(customer=survivor, requested_by=world.manager,
                               decided_by=world.hod)
    AdjustmentFactory(customer=merged, requested_by=world.manager, decided_by=world.hod)
    with pytest.raises(ValidationError, match="reasonable adjustment"):
        customer_merge(actor=world.manager, survivor=survivor, merged=merged)


@pytest.mark.parametrize("who", ["caseworker", "compliance", "admin"])
def test_only_managers_may_merge(world, who):
    with pytest.raises(PermissionDenied):
        customer_merge(actor=world.actor(who), survivor=CustomerFactory(),
                       merged=CustomerFactory())
    assert not CustomerMerge.objects.exists()


@pytest.mark.parametrize("who", ["manager", "senior", "hod"])
def test_managers_may_merge(world, who):
    customer_merge(actor=world.actor(who), survivor=CustomerFactory(),
                   merged=CustomerFactory())
    assert CustomerMerge.objects.count() == 1


def test_a_superuser_may_not_merge(make_user):
    with pytest.raises(PermissionDenied):
        customer_merge(actor=make_user(is_superuser=True, is_staff=True),
                       survivor=CustomerFactory(), merged=CustomerFactory())


def test_a_record_cannot_be_merged_twice_or_into_itself(world):
    a, b, c = CustomerFactory(), CustomerFactory(), CustomerFactory()
    with pytest.raises(ValidationError, match="two different"):
        customer_merge(actor=world.manager, survivor=a, merged=a)
    customer_merge(actor=world.manager, survivor=a, merged=b)
    with pytest.raises(ValidationError, match="already been merged"):
        customer_merge(actor=world.manager, survivor=c, merged=b)


def test_the_same_manager_can_undo_it_the_same_day(world):
    merged = _everything_linked_to(world)
    survivor = CustomerFactory(address="")
    CustomerEmailFactory(customer=survivor, email="SAME@example.com")
    contacts_before = set(merged.contacts.values_list("pk", flat=True))
    record = customer_merge(actor=world.manager, survivor=survivor, merged=merged,
                            conflicts_acknowledged=True)
    with pytest.raises(PermissionDenied):
        customer_merge_undo(actor=world.senior, merge=record)
    customer_merge_undo(actor=world.manager, merge=record)
    merged.refresh_from_db()
    survivor.refresh_from_db()
    assert merged.merged_into is None
    assert set(merged.contacts.values_list("pk", flat=True)) == contacts_before
    assert merged.emails.count() == 2  # the dropped duplicate is back
    assert survivor.emails.count() == 1
    assert survivor.address == ""
    assert AuditEvent.objects.filter(action="customer.merge_undone").count() == 2
    with pytest.raises(ValidationError, match="already been undone"):
        customer_merge_undo(actor=world.manager, merge=record)


def test_a_merge_cannot_be_undone_the_next_day(world):
    record = customer_merge(actor=world.manager, survivor=CustomerFactory(),
                            merged=CustomerFactory())
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)), pytest.raises(
            ValidationError, match="only on the day"):
        customer_merge_undo(actor=world.manager, merge=record)


def test_the_tombstone_redirects_and_drops_out_of_the_lookup(world, client_for):
    survivor = CustomerFactory(family_name="Keepwell")
    merged = CustomerFactory(family_name="Keepwel")
    customer_merge(actor=world.manager, survivor=survivor, merged=merged)
    response = client_for(world.caseworker).get(
        reverse("contacts:customer_detail", args=[merged.pk]))
    assert response.status_code == 302
    assert response.url == reverse("contacts:customer_detail", args=[survivor.pk])
    from contacts.selectors import customer_lookup
    assert customer_lookup("keepwel").customers == [survivor]
    assert merge_services.may_merge(world.manager)


# The pages ------------------------------------------------------------------------------


def test_a_manager_sees_both_records_and_merges(world, client_for):
    this = CustomerFactory(given_name="Ann", family_name="Quirk")
    other = CustomerFactory(given_name="Anne", family_name="Quirke")
    CustomerPhoneFactory(customer=other, number="07700 900444")
    client = client_for(world.manager)
    url = reverse("contacts:customer_merge", args=[this.pk])
    html = client.get(url, {"other": other.reference.lower()}).content.decode()
    assert "The two records side by side" in html
    assert "07700 900444" in html
    response = client.post(url, {"other": other.reference, "keep": str(other.pk)})
    assert response.status_code == 302
    assert response.url.startswith(reverse("contacts:customer_detail", args=[other.pk]))
    assert Customer.objects.get(pk=this.pk).merged_into_id == other.pk
    page = client.get(response.url).content.decode()
    assert "Undo the merge of" in page


def test_a_conflict_is_shown_and_must_be_ticked(world, client_for):
    this, other = CustomerFactory(), CustomerFactory()
    ApprovedRestrictionFactory(customer=this, requested_by=world.manager, decided_by=world.hod)
    ApprovedRestrictionFactory(customer=other, requested_by=world.manager,
                               decided_by=world.hod)
    client = client_for(world.manager)
    url = reverse("contacts:customer_merge", args=[this.pk])
    response = client.post(url, {"other": other.reference, "keep": str(this.pk)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Both records have restricted contact" in html
    assert Customer.objects.get(pk=other.pk).merged_into_id is None
    response = client.post(url, {"other": other.reference, "keep": str(this.pk),
                                 "acknowledge": "yes"})
    assert response.status_code == 302
    assert Customer.objects.get(pk=other.pk).merged_into_id == this.pk


@pytest.mark.parametrize("bad", [{"other": "CUS-NOBODY"}, {"other": "x", "keep": "1"},
                                 {"keep": "nonsense"}])
def test_bad_input_is_an_error_summary_not_a_500(world, client_for, bad):
    this = CustomerFactory()
    response = client_for(world.manager).post(
        reverse("contacts:customer_merge", args=[this.pk]), bad)
    assert response.status_code == 200
    assert not CustomerMerge.objects.exists()


def test_other_managers_cannot_undo_and_the_maker_can(world, client_for):
    record = customer_merge(actor=world.manager, survivor=CustomerFactory(),
                            merged=CustomerFactory())
    url = reverse("contacts:customer_merge_undo", args=[record.pk])
    response = client_for(world.senior).post(url)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert client_for(world.manager).post(url).status_code == 302
    assert CustomerMerge.objects.get().undone_at is not None


@pytest.mark.parametrize("who", ["caseworker", "compliance", "admin"])
def test_the_merge_pages_are_refused_to_others(world, client_for, who):
    this, other = CustomerFactory(), CustomerFactory()
    client = client_for(world.actor(who))
    url = reverse("contacts:customer_merge", args=[this.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"other": other.reference, "keep": this.pk}).status_code == 403
    assert not CustomerMerge.objects.exists()

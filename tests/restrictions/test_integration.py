"""Restrictions meet the rest: the contact-start warning, triage on logging, retention hold."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from contacts.models import Contact
from privacy import retention
from restrictions.constants import Term
from restrictions.models import TriageItem
from tests.accounts.factories import DepartmentFactory
from tests.restrictions.factories import ApprovedRestrictionFactory, CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(make_user):
    """An approved restriction requested by a manager and decided by their Head."""
    department = DepartmentFactory(name="Customer Contact")
    manager = make_user(Role.LINE_MANAGER, department=department)
    head = make_user(Role.HEAD_OF_DEPARTMENT, department=department)

    def _make(**kwargs):
        return ApprovedRestrictionFactory(requested_by=manager, decided_by=head, **kwargs)

    return _make


def _start(client, customer, channel, **extra):
    started = (timezone.localtime() - dt.timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M")
    return client.post(reverse("contacts:contact_log", args=[customer.pk]), {
        "channel": channel, "direction": "inbound", "case_reference": "",
        "started_at": started, "summary": "Asked again", **extra})


def test_starting_a_contact_on_a_channel_the_restriction_forbids_warns_first(
        make_user, client_for, approved):
    restriction = approved(terms=[Term.WRITTEN_ONLY])
    client = client_for(make_user(Role.CASEWORKER))
    response = _start(client, restriction.customer, "phone")
    html = response.content.decode()
    assert response.status_code == 200
    assert "do not continue by" in html
    assert "Start contact anyway" in html
    assert 'value="phone"' in html and 'name="warning_acknowledged"' in html  # noqa: PT018
    assert not Contact.objects.exists()  # nothing logged until they go ahead
    response = _start(client, restriction.customer, "phone", warning_acknowledged="phone")
    assert response.status_code == 302
    assert Contact.objects.get().channel == "phone"


def test_the_service_refuses_a_forbidden_channel_until_the_warning_is_acknowledged(
        make_user, approved):
    """12.3 in the service (issue 17): whoever calls ``contact_log``, a phone contact with a
    customer whose terms forbid the phone needs the acknowledgement; the warning is given."""
    from audit.models import AuditEvent
    from contacts.services import ChannelWarningNotAcknowledgedError, contact_log

    restriction = approved(terms=[Term.WRITTEN_ONLY])
    staff = make_user(Role.CASEWORKER)
    start = {"actor": staff, "customer": restriction.customer, "channel": "phone",
             "direction": "inbound", "started_at": timezone.now()}
    with pytest.raises(ChannelWarningNotAcknowledgedError) as refused:
        contact_log(**start)
    assert any("do not continue by" in w for w in refused.value.warnings)
    assert "warning_acknowledged" in refused.value.message_dict
    assert not Contact.objects.exists()
    contact = contact_log(**start, warnings_acknowledged=True)
    logged = AuditEvent.objects.get(action="contact.logged", target_id=str(contact.pk))
    assert logged.changes["warnings_acknowledged"] is True
    # An allowed channel needs nothing; telephony records the call it is already carrying.
    contact_log(**(start | {"channel": "email"}))
    contact_log(**start, on_warning="record")
    assert Contact.objects.count() == 3


def test_an_allowed_channel_starts_at_once(make_user, client_for, approved):
    restriction = approved(terms=[Term.WRITTEN_ONLY])
    response = _start(client_for(make_user(Role.CASEWORKER)), restriction.customer, "email")
    assert response.status_code == 302


def test_acknowledging_one_channel_does_not_cover_another(make_user, client_for, approved):
    restriction = approved(terms=[Term.EMAIL_ONLY])
    client = client_for(make_user(Role.CASEWORKER))
    response = _start(client, restriction.customer, "letter", warning_acknowledged="phone")
    assert response.status_code == 200
    assert not Contact.objects.exists()


def test_written_contact_placed_on_file_is_triaged_when_logged(make_user, client_for,
                                                              approved):
    restriction = approved(terms=[Term.WRITTEN_ONLY], placed_on_file=True)
    _start(client_for(make_user(Role.CASEWORKER)), restriction.customer, "email")
    item = TriageItem.objects.get()
    assert item.contact.customer == restriction.customer
    assert item.restriction == restriction


def test_retention_never_touches_a_customer_with_a_restriction_in_force(approved):
    long_ago = timezone.now() - dt.timedelta(days=10 * 365)
    held = CustomerFactory(created_at=long_ago)
    approved(customer=held)
    free = CustomerFactory(created_at=long_ago)
    expired_ids = set(retention.expired_customers(timezone.now()).values_list("pk", flat=True))
    assert free.pk in expired_ids
    assert held.pk not in expired_ids

"""Subject access export, retention and permissions of the data-protection pages."""

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from contacts.constants import Behaviour, Channel
from contacts.models import (
    BehaviourChange,
    CaseReference,
    Contact,
    Customer,
    CustomerEmail,
    CustomerPhone,
)
from privacy import retention, services
from privacy.constants import SarStatus
from privacy.models import SubjectAccessRequest

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def customer_with_history(make_user):
    staff = make_user(Role.CASEWORKER, first_name="Priya", last_name="Staffname",
                      job_title="Case Officer")
    customer = Customer.objects.create(given_name="Alex", family_name="Doe",
                                       address="1 High Street", reference="CUS-TESTAAAA")
    CustomerEmail.objects.create(customer=customer, email="alex@example.org")
    case = CaseReference.objects.create(reference="RFA0000001", customer=customer)
    contact = Contact.objects.create(customer=customer, case_reference=case,
                                     channel=Channel.PHONE, started_at=NOW, staff=staff,
                                     summary="Asked about the complaint",
                                     behaviour=Behaviour.OFFENSIVE)
    BehaviourChange.objects.create(contact=contact, behaviour=Behaviour.OFFENSIVE,
                                   recorded_by=staff)
    other = Customer.objects.create(given_name="Other", family_name="Person")
    Contact.objects.create(customer=other, channel=Channel.EMAIL, started_at=NOW, staff=staff,
                           summary="Someone else's business")
    return customer


def _zip_records(archive: bytes) -> tuple[dict, str]:
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        return json.loads(z.read("records.json")), z.read("records.html").decode()


def test_export_holds_everything_linked_to_the_customer_and_nothing_else(
        customer_with_history, make_user):
    compliance = make_user(Role.COMPLIANCE)
    sar = services.sar_create(customer=customer_with_history, received_on=NOW.date(),
                              recorded_by=compliance)
    sar = services.sar_generate(sar_id=sar.pk)
    assert sar.status == SarStatus.READY
    assert sar.progress == 100
    data, html = _zip_records(bytes(sar.export))
    records = data["records"]
    assert set(records) >= {"contacts.Customer", "contacts.CustomerEmail",
                            "contacts.CaseReference", "contacts.Contact",
                            "contacts.BehaviourChange"}
    assert records["contacts.Contact"][0]["summary"] == "Asked about the complaint"
    assert "Someone else's business" not in json.dumps(data)
    assert "Other" not in [r["First name"] for r in records["contacts.Customer"]]
    # Documented rule: other staff appear by job title and department, not by name.
    assert "Staffname" not in json.dumps(data)
    assert "Staffname" not in html
    assert records["contacts.Contact"][0]["staff"].startswith("Case Officer")
    assert "Asked about the complaint" in html


def test_progress_is_recorded_while_the_export_is_built(customer_with_history, make_user,
                                                          monkeypatch):
    seen = []
    original = services.export.build_zip

    def spy(customer, progress, **kwargs):
        def record(percent):
            progress(percent)
            seen.append(SubjectAccessRequest.objects.get().progress)
        return original(customer, record, **kwargs)

    monkeypatch.setattr(services.export, "build_zip", spy)
    sar = services.sar_create(customer=customer_with_history, received_on=NOW.date(),
                              recorded_by=make_user(Role.COMPLIANCE))
    services.sar_generate(sar_id=sar.pk)
    assert seen
    assert seen == sorted(seen)
    assert 0 < seen[0] < 100


def test_request_date_cannot_be_in_the_future(customer_with_history, make_user):
    with pytest.raises(ValidationError):
        services.sar_create(customer=customer_with_history,
                            received_on=timezone.localdate() + dt.timedelta(days=1),
                            recorded_by=make_user(Role.COMPLIANCE))


def test_extension_needs_a_reason_and_happens_once(customer_with_history, make_user):
    compliance = make_user(Role.COMPLIANCE)
    sar = services.sar_create(customer=customer_with_history, received_on=dt.date(2026, 10, 5),
                              recorded_by=compliance)
    with pytest.raises(ValidationError):
        services.sar_extend(sar=sar, actor=compliance, reason="  ")
    services.sar_extend(sar=sar, actor=compliance, reason="Many years of records")
    assert sar.deadline == dt.date(2027, 1, 5)
    with pytest.raises(ValidationError):
        services.sar_extend(sar=sar, actor=compliance, reason="Again")


def test_subject_access_pages_are_for_compliance_only(customer_with_history, make_user,
                                                      client_for):
    compliance = make_user(Role.COMPLIANCE)
    sar = services.sar_generate(sar_id=services.sar_create(
        customer=customer_with_history, received_on=NOW.date(), recorded_by=compliance).pk)
    urls = [reverse("privacy:sar_list"), reverse("privacy:sar_create"),
            reverse("privacy:sar_detail", args=[sar.pk]),
            reverse("privacy:sar_status", args=[sar.pk]),
            reverse("privacy:sar_download", args=[sar.pk]), reverse("privacy:retention")]
    for role in (Role.CASEWORKER, Role.LINE_MANAGER, Role.SENIOR_STAFF,
                 Role.HEAD_OF_DEPARTMENT, Role.ADMINISTRATOR):
        client = client_for(make_user(role))
        for url in urls:
            assert client.get(url).status_code == 403, (role, url)
    client = client_for(compliance)
    for url in urls:
        assert client.get(url).status_code == 200, url
    download = client.get(reverse("privacy:sar_download", args=[sar.pk]))
    assert download["Content-Type"] == "application/zip"
    assert "attachment" in download["Content-Disposition"]


def test_create_form_reports_unknown_reference_and_keeps_input(make_user, client_for):
    client = client_for(make_user(Role.COMPLIANCE))
    response = client.post(reverse("privacy:sar_create"),
                           {"customer_reference": "CUS-NOPE", "received_on": "2026-11-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No customer has that reference" in html
    assert 'value="CUS-NOPE"' in html


@pytest.fixture
def old_and_held_customers(make_user):
    staff = make_user(Role.CASEWORKER)
    long_ago = NOW - dt.timedelta(days=7 * 365)
    expired = Customer.objects.create(given_name="Old", family_name="Customer",
                                      address="Somewhere", created_at=long_ago)
    CustomerPhone.objects.create(customer=expired, number="07700 900123")
    Contact.objects.create(customer=expired, channel=Channel.PHONE, started_at=long_ago,
                           staff=staff, summary="Old call")
    held = Customer.objects.create(given_name="Held", family_name="Open-case",
                                   created_at=long_ago)
    CaseReference.objects.create(reference="ENQ0000009", customer=held, is_open=True)
    Contact.objects.create(customer=held, channel=Channel.PHONE, started_at=long_ago,
                           staff=staff, summary="Old call on an open case")
    recent = Customer.objects.create(given_name="Recent", family_name="Customer",
                                     created_at=long_ago)
    Contact.objects.create(customer=recent, channel=Channel.PHONE, started_at=NOW, staff=staff,
                           summary="New call")
    return expired, held, recent


def test_retention_dry_run_changes_nothing_then_apply_anonymises_only_expired(
        old_and_held_customers, make_user):
    expired, held, recent = old_and_held_customers
    run = services.retention_dry_run(now=NOW)
    assert (run.cutoff_report["contacts.Customer"], run.cutoff_report["contacts.Contact"]) == (
        1, 1)
    expired.refresh_from_db()
    assert expired.family_name == "Customer"  # dry run: untouched
    services.retention_apply(run=run, actor=make_user(Role.COMPLIANCE))
    expired.refresh_from_db()
    held.refresh_from_db()
    recent.refresh_from_db()
    assert (expired.family_name, expired.address) == (retention.ANONYMISED, "")
    assert not expired.phones.exists()
    assert expired.contacts.get().summary == ""
    assert held.family_name == "Open-case"
    assert held.contacts.get().summary == "Old call on an open case"
    assert recent.family_name == "Customer"
    with pytest.raises(ValidationError):
        services.retention_apply(run=run, actor=make_user(Role.COMPLIANCE))
    again = services.retention_dry_run(now=NOW).cutoff_report
    assert (again["contacts.Customer"], again["contacts.Contact"]) == (0, 0)

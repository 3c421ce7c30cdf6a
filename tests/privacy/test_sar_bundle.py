"""The subject access bundle (UK GDPR Art. 15): records, recipients, sources, purposes,
letters sent and what was withheld; nothing about anyone else."""

import datetime as dt
import io
import json
import zipfile

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from accounts.models import Department
from atrisk.constants import Consent
from atrisk.models import AtRiskReport, VitalInterestsDisclosure
from contacts.constants import Channel
from contacts.models import CaseReference, Contact, Customer, CustomerEmail
from privacy import export, registry, services
from privacy.constants import Exemption, SarStatus
from privacy.models import SubjectAccessRequest
from tests.restrictions.factories import ApprovedRestrictionFactory
from welfare.models import WelfareFollowUp

pytestmark = pytest.mark.django_db


def _person(name, staff, senior, authority):
    customer = Customer.objects.create(given_name="Jo", family_name=name)
    CaseReference.objects.create(customer=customer, reference=f"RFA{len(name):07d}{name[:2]}")
    CustomerEmail.objects.create(customer=customer, email=f"{name.lower()}@example.org")
    contact = Contact.objects.create(customer=customer, channel=Channel.PHONE, staff=staff,
                                     started_at=timezone.now(), summary=f"{name} rang upset")
    report = AtRiskReport.objects.create(
        raised_by=staff, source="telephone", customer=customer, contact=contact,
        threat_type="self_harm", what_was_said=f"{name} threatened to self-harm",
        threat_made_at=timezone.now(), emergency_advice="advised", status="assessed",
        acknowledged_by=senior, acknowledged_at=timezone.now(), assessed_by=senior,
        agencies_contacted=True, agencies=f"{name} GP surgery",
        agencies_contacted_at=timezone.now())
    VitalInterestsDisclosure.objects.create(
        report=report, necessity="Risk to life", less_intrusive_options="None would do",
        consent=Consent.COULD_NOT, consent_explanation="In crisis", recipient_type="police",
        recipient_authority=authority, what_was_disclosed="Name, address and the threat",
        disclosed_at=timezone.now(), authorised_by=senior, recorded_by=senior)
    WelfareFollowUp.objects.create(staff=staff, manager=senior, contact=contact,
                                   reason="termination", due_at=timezone.now(),
                                   effect_on_staff=f"Shaken by the {name} call")
    return customer


@pytest.fixture
def people(make_user):
    staff = make_user(Role.CASEWORKER, first_name="Sam", last_name="Staffer",
                      job_title="Case Officer")
    senior = make_user(Role.SENIOR_STAFF, last_name="Seniorname")
    return (_person("Subjectname", staff, senior, "Anytown Police, PC 4471"),
            _person("Othername", staff, senior, "Elsewhere Police, DC 9"))


def _bundle(customer, make_user, sar=None):
    sar = sar or SubjectAccessRequest.objects.create(
        customer=customer, received_on=timezone.localdate(),
        recorded_by=make_user(Role.COMPLIANCE))
    sar = services.sar_generate(sar_id=sar.pk)
    with zipfile.ZipFile(io.BytesIO(bytes(sar.export))) as z:
        return json.loads(z.read("records.json")), z.read("records.html").decode()


def test_the_bundle_lists_recipients_and_sources_and_nothing_of_another_customer(
        people, make_user):
    subject, _other = people
    data, html = _bundle(subject, make_user)
    recipients = [r["recipient"] for r in data["recipients"]]
    assert "Police: Anytown Police, PC 4471" in recipients
    assert "Subjectname GP surgery" in recipients
    assert "Anytown Police, PC 4471" in html
    kinds = {s["source"] for s in data["sources_by_kind"]}
    assert "the case-management system (CMEH)" in kinds
    assert "entered by staff, or imported from the existing customer register" in kinds
    # and per record, from the record's own fields
    per_record = {s["record"]: s["source"] for s in data["sources"]}
    report = AtRiskReport.objects.get(customer=subject)
    contact = Contact.objects.get(customer=subject)
    assert per_record[f"atrisk.AtRiskReport:{report.pk}"] == (
        "what the caller said (telephone call), recorded by a member of staff (Case Officer)")
    assert per_record[f"contacts.Contact:{contact.pk}"].startswith(
        "the customer (telephone), recorded in a staff member's contact log (Case Officer")
    [row] = data["records"]["atrisk.AtRiskReport"]
    assert row[export.SOURCE_KEY] == per_record[f"atrisk.AtRiskReport:{report.pk}"]
    purposes = {p["records"]: p for p in data["purposes"]}
    assert "vital interests" in purposes["Vital interests disclosures"]["lawful_basis"].lower()
    assert purposes["Contacts"]["kept_for"] == "6 years after the contact started (not while " \
                                               "its case is open)"
    text = json.dumps(data) + html
    for other in ("Othername", "Elsewhere Police", "DC 9"):
        assert other not in text
    # the staff member's welfare is about them, not the customer (third party)
    assert "Shaken" not in text
    assert "welfare.WelfareFollowUp" not in data["records"]
    # staff by job title only
    assert "Staffer" not in text
    assert "Seniorname" not in text
    assert data["deadline"] == services.SubjectAccessRequest.objects.get(
        customer=subject).deadline.isoformat()


def test_letters_sent_about_restrictions_are_listed(people, make_user):
    subject, _other = people
    department = Department.objects.create(name="Complaints")
    restriction = ApprovedRestrictionFactory(
        customer=subject, decided_by=make_user(Role.HEAD_OF_DEPARTMENT),
        requested_by=make_user(Role.LINE_MANAGER, department=department),
        letter_sent_on=timezone.localdate() - dt.timedelta(days=3))
    data, html = _bundle(subject, make_user)
    [letter] = data["letters_sent"]
    assert letter["sent_on"] == restriction.letter_sent_on.isoformat()
    assert letter["about"] == f"{restriction.get_kind_display()} {restriction.pk} (approved)"
    assert letter["terms"] == ", ".join(restriction.term_labels())
    assert "Letters we sent you" in html


def test_withheld_parts_are_left_out_and_the_bundle_says_why(people, make_user):
    subject, _other = people
    officer = make_user(Role.COMPLIANCE)
    sar = SubjectAccessRequest.objects.create(customer=subject, received_on=timezone.localdate(),
                                              recorded_by=officer)
    services.sar_withhold(sar=sar, actor=officer, part="atrisk.AtRiskReport",
                          exemption=Exemption.SERIOUS_HARM,
                          reason="Clinician advises disclosure would cause serious harm")
    sar.refresh_from_db()
    assert sar.status == SarStatus.RECEIVED  # to be prepared again
    data, html = _bundle(subject, make_user, sar=sar)
    assert "atrisk.AtRiskReport" not in data["records"]
    assert "threatened to self-harm" not in json.dumps(data)
    assert data["withheld"] == [{
        "part": f"{AtRiskReport._meta.verbose_name_plural.capitalize()} (all 1)",
        "exemption": Exemption.SERIOUS_HARM.label,
        "reason": "Clinician advises disclosure would cause serious harm"}]
    assert "Clinician advises" in html
    # the rest is still there
    assert "contacts.Contact" in data["records"]


def test_one_record_can_be_withheld(people, make_user):
    subject, _other = people
    officer = make_user(Role.COMPLIANCE)
    sar = SubjectAccessRequest.objects.create(customer=subject, received_on=timezone.localdate(),
                                              recorded_by=officer)
    disclosure = VitalInterestsDisclosure.objects.get(report__customer=subject)
    services.sar_withhold(sar=sar, actor=officer,
                          part=f"atrisk.VitalInterestsDisclosure:{disclosure.pk}",
                          exemption=Exemption.CRIME, reason="Police investigation")
    data, _html = _bundle(subject, make_user, sar=sar)
    assert "atrisk.VitalInterestsDisclosure" not in data["records"]
    assert data["withheld"][0]["part"] == "Vital interests disclosures: one record"


def test_withholding_is_for_compliance_and_checked(people, make_user):
    subject, other = people
    officer = make_user(Role.COMPLIANCE)
    sar = SubjectAccessRequest.objects.create(customer=subject, received_on=timezone.localdate(),
                                              recorded_by=officer)
    for role in (Role.LINE_MANAGER, Role.SENIOR_STAFF, Role.ADMINISTRATOR):
        with pytest.raises(PermissionDenied):
            services.sar_withhold(sar=sar, actor=make_user(role), part="contacts.Contact",
                                  exemption=Exemption.CRIME, reason="x")
    with pytest.raises(PermissionDenied):
        services.sar_withhold(sar=sar, actor=make_user(is_superuser=True),
                              part="contacts.Contact", exemption=Exemption.CRIME, reason="x")
    others_contact = Contact.objects.get(customer=other)
    bad = [("welfare.WelfareFollowUp", Exemption.CRIME, "x"),  # not in the bundle
           (f"contacts.Contact:{others_contact.pk}", Exemption.CRIME, "x"),
           ("contacts.Contact", "made_up", "x"),
           ("contacts.Contact", Exemption.CRIME, " ")]
    for part, exemption, reason in bad:
        with pytest.raises(ValidationError):
            services.sar_withhold(sar=sar, actor=officer, part=part, exemption=exemption,
                                  reason=reason)
    assert not sar.withholdings.exists()


def test_every_record_linked_to_a_customer_has_a_rule_that_finds_it():
    """The bundle reads the rules; a model linked to a customer (directly or through a
    record that is) must have a rule with its customer lookup, or the bundle would miss
    it. Staff-only records (welfare) have the lookup too, for holds."""
    customer_model = apps.get_model("contacts.Customer")
    linked = {customer_model}
    for _round in range(4):
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model in linked and (
                        model._meta.label not in registry.EXEMPT):
                    linked.add(model)
    missing = [m._meta.label for m in linked
               if (rule := registry.rule_for(m)) is None or not rule.customer]
    assert missing == []


def test_progress_is_shown_on_the_page_while_it_builds(people, make_user, client_for):
    subject, _other = people
    officer = make_user(Role.COMPLIANCE)
    sar = SubjectAccessRequest.objects.create(customer=subject, received_on=timezone.localdate(),
                                              recorded_by=officer, status="in_progress",
                                              progress=40)
    client = client_for(officer)
    status = client.get(reverse("privacy:sar_status", args=[sar.pk])).json()
    assert status["progress"] == 40
    page = client.get(reverse("privacy:sar_detail", args=[sar.pk])).content.decode()
    assert "40</span>% done" in page
    seen = []
    export.build_zip(subject, seen.append, sar=sar)
    assert seen == sorted(seen)
    assert seen[-1] == 100


def test_compliance_withholds_a_part_on_the_request_page(people, make_user, client_for):
    subject, _other = people
    officer = make_user(Role.COMPLIANCE)
    sar = SubjectAccessRequest.objects.create(customer=subject, received_on=timezone.localdate(),
                                              recorded_by=officer)
    client = client_for(officer)
    url = reverse("privacy:sar_detail", args=[sar.pk])
    page = client.get(url).content.decode()
    assert 'value="atrisk.AtRiskReport"' in page
    refused = client.post(url, {"withhold": "1", "part": "atrisk.AtRiskReport",
                                "exemption": "", "reason": "Serious harm"})
    assert refused.status_code == 200
    assert "Choose the exemption relied on" in refused.content.decode()
    assert "Serious harm" in refused.content.decode()  # nothing typed is lost
    response = client.post(url, {"withhold": "1", "part": "atrisk.AtRiskReport",
                                 "exemption": Exemption.SERIOUS_HARM,
                                 "reason": "Clinician's advice"}, follow=True)
    assert "Clinician&#x27;s advice" in response.content.decode()
    assert sar.withholdings.get().part == "atrisk.AtRiskReport"
    other_page = client_for(make_user(Role.LINE_MANAGER)).post(url, {
        "withhold": "1", "part": "contacts.Contact", "exemption": Exemption.CRIME,
        "reason": "x"})
    assert other_page.status_code == 403


def test_a_bundle_built_while_something_was_withheld_is_not_kept(people, make_user,
                                                                monkeypatch):
    subject, _other = people
    officer = make_user(Role.COMPLIANCE)
    sar = SubjectAccessRequest.objects.create(customer=subject, received_on=timezone.localdate(),
                                              recorded_by=officer)
    original = export.build_zip

    def withheld_meanwhile(customer, progress, sar):
        archive = original(customer, progress, sar=sar)
        services.sar_withhold(sar=sar, actor=officer, part="atrisk.AtRiskReport",
                              exemption=Exemption.SERIOUS_HARM, reason="Clinician's advice")
        return archive

    monkeypatch.setattr(services.export, "build_zip", withheld_meanwhile)
    services.sar_generate(sar_id=sar.pk)
    sar.refresh_from_db()
    assert sar.status == SarStatus.RECEIVED
    assert sar.export is None
    monkeypatch.setattr(services.export, "build_zip", original)
    data, _html = _bundle(subject, make_user, sar=sar)
    assert "atrisk.AtRiskReport" not in data["records"]


def test_each_record_says_where_it_came_from(people, make_user):
    """Imported, from the case-management system, a staff member's entry (its audit row)."""
    from api import services as api_services
    from api.constants import ClientKind
    from api.models import ExternalCustomer
    from audit.services import audit_record

    subject, _other = people
    data, _html = _bundle(subject, make_user)
    per_record = {s["record"]: s["source"] for s in data["sources"]}
    # no import, no external id, no audit row: the rule's general source
    assert per_record[f"contacts.Customer:{subject.pk}"] == (
        "entered by staff, or imported from the existing customer register")

    Customer.objects.filter(pk=subject.pk).update(register_key="OLD-123")
    data, _html = _bundle(subject, make_user)
    per_record = {s["record"]: s["source"] for s in data["sources"]}
    assert per_record[f"contacts.Customer:{subject.pk}"] == (
        "imported from the existing customer register")

    Customer.objects.filter(pk=subject.pk).update(register_key=None)
    client, _key = api_services.client_register(
        actor=make_user(Role.ADMINISTRATOR), name="CMEH", kind=ClientKind.CASE_MANAGEMENT,
        scopes=["cases"])
    ExternalCustomer.objects.create(client=client, external_id="X1", customer=subject)
    data, _html = _bundle(subject, make_user)
    per_record = {s["record"]: s["source"] for s in data["sources"]}
    assert per_record[f"contacts.Customer:{subject.pk}"] == (
        "the case-management system (CMEH)")

    email = subject.emails.get()
    clerk = make_user(Role.CASEWORKER, last_name="Clerkname", job_title="Registry Clerk")
    audit_record(actor=clerk, action="customeremail.added", target=email)
    data, _html = _bundle(subject, make_user)
    per_record = {s["record"]: s["source"] for s in data["sources"]}
    assert per_record[f"contacts.CustomerEmail:{email.pk}"] == (
        "entered by a member of staff (Registry Clerk)")
    assert "Clerkname" not in json.dumps(data)


def test_reminders_inbox_messages_and_audit_rows_about_the_customer_are_in_the_bundle(
        people, make_user):
    from audit.services import audit_record
    from notifications.models import DueItem, InboxEntry

    subject, other = people
    officer = make_user(Role.SENIOR_STAFF, last_name="Remindedname", job_title="Duty Senior")
    mine, theirs = (AtRiskReport.objects.get(customer=c) for c in (subject, other))
    for report, name in ((mine, "Subjectname"), (theirs, "Othername")):
        item = DueItem.objects.create(kind="atrisk.ack", key=f"ack:{report.pk}",
                                      target=report, recipient=officer,
                                      due_at=timezone.now(),
                                      message=f"At-risk report about Jo {name}: acknowledge")
        InboxEntry.objects.create(recipient=officer, due_item=item,
                                  text=f"Inbox: Jo {name} needs a senior")
        audit_record(actor=officer, action="atriskreport.viewed", target=report)
    data, html = _bundle(subject, make_user)
    about = {part["title"]: part["rows"] for part in data["reminders_inbox_and_audit"]}
    text = json.dumps(about)
    assert "At-risk report about Jo Subjectname: acknowledge" in text
    assert "Inbox: Jo Subjectname needs a senior" in text
    assert "atriskreport.viewed" in text
    assert "Duty Senior" in text
    assert "Inbox: Jo Subjectname needs a senior" in html
    for leaked in ("Othername", "Remindedname"):
        assert leaked not in text + html


def test_the_reminders_inbox_and_audit_part_can_be_withheld(people, make_user):
    from notifications.models import DueItem

    subject, _other = people
    DueItem.objects.create(kind="atrisk.ack", key="ack:x",
                           target=AtRiskReport.objects.get(customer=subject),
                           recipient=make_user(Role.SENIOR_STAFF), due_at=timezone.now(),
                           message="Reminder naming Jo Subjectname")
    officer = make_user(Role.COMPLIANCE)
    sar = SubjectAccessRequest.objects.create(customer=subject, received_on=timezone.localdate(),
                                              recorded_by=officer)
    services.sar_withhold(sar=sar, actor=officer, part=export.ABOUT_PART,
                          exemption=Exemption.CRIME, reason="Police investigation")
    data, _html = _bundle(subject, make_user, sar=sar)
    assert data["reminders_inbox_and_audit"] == []
    assert "Reminder naming" not in json.dumps(data)
    assert data["withheld"][0]["part"] == export.ABOUT_TITLE

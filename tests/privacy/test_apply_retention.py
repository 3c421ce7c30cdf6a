"""The retention run (UK GDPR Art. 5(1)(e)): plan, batches, holds, report counts kept."""

import datetime as dt
import io
import threading

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from accounts.models import Department
from atrisk.constants import Consent
from atrisk.models import AtRiskReport, VitalInterestsDisclosure
from audit.models import AuditEvent
from contacts.constants import Behaviour, Channel
from contacts.models import Contact, Customer, CustomerEmail, CustomerPhone, HandlingStep
from dashboards.reports import REPORTS, compute, report_scope
from notifications.models import InboxEntry
from privacy import registry, services, sweep
from privacy.constants import SarStatus
from privacy.models import LegalHold, RetentionRun, SubjectAccessRequest
from restrictions.constants import Status
from restrictions.models import Appeal
from tests.restrictions.factories import ApprovedRestrictionFactory, RestrictionFactory

pytestmark = pytest.mark.django_db

YEARS_AGO = dt.timedelta(days=7 * 365)


@pytest.fixture
def staff(make_user):
    return make_user(Role.CASEWORKER, first_name="Casey", last_name="Worker")


def old_customer(staff, name="Oldname", contacts=1, **extra):
    """A customer last in touch seven years ago: past every six-year period."""
    long_ago = timezone.now() - YEARS_AGO
    customer = Customer.objects.create(given_name="Ann", family_name=name,
                                       address="1 Old Road", created_at=long_ago)
    CustomerEmail.objects.create(customer=customer, email=f"{name.lower()}@example.org")
    CustomerPhone.objects.create(customer=customer, number="07700 900456")
    for n in range(contacts):
        contact = Contact.objects.create(
            customer=customer, channel=Channel.PHONE, staff=staff,
            started_at=long_ago + dt.timedelta(hours=n), ended_at=long_ago + dt.timedelta(
                hours=n, minutes=5), summary=f"{name} said something private {n}",
            caller_name=f"{name} caller", behaviour=Behaviour.ABUSIVE, terminated=True,
            termination_reason="Shouted abuse", outcome="Ended for behaviour")
        HandlingStep.objects.create(contact=contact, step="explained_unacceptable",
                                    recorded_by=staff, note=f"Warned {name}")
    return customer


def _contact_texts(customer) -> set[str]:
    return set(Contact.objects.filter(customer=customer).values_list("summary", flat=True))


def test_anonymises_what_is_past_its_period_and_deletes_contact_details(staff):
    customer = old_customer(staff)
    recent = Customer.objects.create(given_name="New", family_name="Recent")
    Contact.objects.create(customer=recent, channel=Channel.EMAIL, staff=staff,
                           started_at=timezone.now(), summary="Recent and kept")
    run = services.retention_run()
    customer.refresh_from_db()
    assert (customer.given_name, customer.family_name, customer.address) == (
        "", registry.ANONYMISED_NAME, "")
    assert not customer.emails.exists()
    assert not customer.phones.exists()
    contact = customer.contacts.get()
    assert (contact.summary, contact.caller_name, contact.termination_reason) == ("", "", "")
    # what the reports count stays
    assert (contact.behaviour, contact.terminated, contact.channel) == (
        Behaviour.ABUSIVE, True, Channel.PHONE)
    assert contact.steps.get().note == ""
    assert run.applied_report["contacts.Customer"] == 1
    assert run.applied_report["contacts.CustomerEmail"] == 1
    recent.refresh_from_db()
    assert recent.family_name == "Recent"
    assert _contact_texts(recent) == {"Recent and kept"}
    # a second run finds nothing left to do
    assert sum(services.retention_run().applied_report.values()) == 0


def test_dry_run_writes_nothing(staff):
    customer = old_customer(staff, contacts=2)
    out = io.StringIO()
    events, runs = AuditEvent.objects.count(), RetentionRun.objects.count()
    with CaptureQueriesContext(connection) as queries:
        call_command("apply_retention", "--dry-run", stdout=out)
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].split()[0].upper() not in ("SELECT", "SAVEPOINT", "RELEASE")]
    assert writes == []
    assert (AuditEvent.objects.count(), RetentionRun.objects.count()) == (events, runs)
    customer.refresh_from_db()
    assert customer.family_name == "Oldname"
    assert customer.emails.exists()
    text = out.getvalue()
    assert "dry run" in text
    contact_line = next(line for line in text.splitlines()
                        if line.startswith("contacts.Contact "))
    assert " anonymise " in contact_line
    assert " 2  6 years after the contact started" in contact_line
    assert "contacts.CustomerEmail" in text
    assert "Total: " in text


def _place_legal_hold(customer, make_user):
    services.legal_hold_place(customer=customer, actor=make_user(Role.COMPLIANCE),
                              reason="Claim 2026-CL-1 pending in the county court")


def _open_sar(customer, make_user):
    SubjectAccessRequest.objects.create(customer=customer, received_on=timezone.localdate(),
                                        recorded_by=make_user(Role.COMPLIANCE))


def _requester(make_user):
    department = Department.objects.create(name="Complaints")
    return make_user(Role.LINE_MANAGER, department=department)


def _pending_appeal(customer, make_user):
    ended = timezone.localdate() - YEARS_AGO
    hod = make_user(Role.HEAD_OF_DEPARTMENT)
    restriction = RestrictionFactory(
        customer=customer, status=Status.EXPIRED, decided_by=hod, start_date=ended,
        requested_by=_requester(make_user),
        review_date=ended + dt.timedelta(days=90), grounds="Old grounds")
    Appeal.objects.create(restriction=restriction, received_on=ended,
                          customer_grounds="I was never rude", recorded_by=hod)


def _restriction_in_force(customer, make_user):
    ApprovedRestrictionFactory(customer=customer, decided_by=make_user(Role.HEAD_OF_DEPARTMENT),
                               requested_by=_requester(make_user))


@pytest.mark.parametrize("protect", [_place_legal_hold, _open_sar, _pending_appeal,
                                     _restriction_in_force],
                         ids=["legal hold", "open SAR", "appeal", "restriction in force"])
def test_protected_customers_are_never_touched(protect, staff, make_user):
    held = old_customer(staff, name="Heldname")
    unheld = old_customer(staff, name="Freename")
    protect(held, make_user)
    plan = {line.rule.model: line for line in sweep.plan(timezone.now())}
    assert plan["contacts.Customer"].count == 1
    assert sum(plan["contacts.Customer"].held.values()) == 1
    services.retention_run()
    held.refresh_from_db()
    assert (held.family_name, held.address) == ("Heldname", "1 Old Road")
    assert held.emails.exists()
    assert held.phones.exists()
    assert _contact_texts(held) == {"Heldname said something private 0"}
    assert held.contacts.get().steps.get().note == "Warned Heldname"
    assert set(held.restrictions.values_list("grounds", flat=True)) <= {
        "Old grounds", "Repeated calls about a closed case."}
    unheld.refresh_from_db()
    assert unheld.family_name == registry.ANONYMISED_NAME


def test_a_released_legal_hold_no_longer_protects(staff, make_user):
    customer = old_customer(staff)
    officer = make_user(Role.COMPLIANCE)
    hold = services.legal_hold_place(customer=customer, actor=officer, reason="Claim")
    services.retention_run()
    customer.refresh_from_db()
    assert customer.family_name == "Oldname"
    services.legal_hold_release(hold=hold, actor=officer, reason="Claim settled")
    services.retention_run()
    customer.refresh_from_db()
    assert customer.family_name == registry.ANONYMISED_NAME


def test_at_risk_reports_and_disclosures_are_anonymised_after_their_period(staff, make_user):
    customer = old_customer(staff)
    senior = make_user(Role.SENIOR_STAFF)
    long_ago = timezone.now() - YEARS_AGO
    report = AtRiskReport.objects.create(
        raised_by=staff, raised_at=long_ago, source="telephone", customer=customer,
        threat_type="self_harm", what_was_said="I will hurt myself", caller_name="Ann",
        caller_phone="07700 900456", threat_made_at=long_ago, emergency_advice="advised")
    disclosure = VitalInterestsDisclosure.objects.create(
        report=report, necessity="Risk to life", less_intrusive_options="None",
        consent=Consent.COULD_NOT, consent_explanation="In crisis", recipient_type="police",
        recipient_authority="Anytown Police, PC 123", what_was_disclosed="Name and address",
        disclosed_at=long_ago, authorised_by=senior, recorded_by=senior)
    services.retention_run()
    report.refresh_from_db()
    disclosure.refresh_from_db()
    assert (report.what_was_said, report.caller_name, report.caller_phone) == (
        registry.REMOVED_TEXT, "", "")
    assert disclosure.recipient_authority == registry.REMOVED_TEXT[:200]
    assert (disclosure.recipient_type, disclosure.disclosed_at) == ("police", long_ago)


def _behaviour_report(user):
    today = timezone.localdate()
    figures = compute(REPORTS["behaviour"], scope=report_scope(user),
                      date_from=today - dt.timedelta(days=8 * 365), date_to=today, by="month")
    terminated = compute(REPORTS["terminated"], scope=report_scope(user),
                         date_from=today - dt.timedelta(days=8 * 365), date_to=today,
                         by="month")
    return ([(r.key, r.values) for r in figures.rows],
            [(r.key, r.values) for r in terminated.rows])


def test_anonymised_records_keep_the_reports_equal(staff, make_user):
    for name in ("Alpha", "Bravo", "Charlie"):
        old_customer(staff, name=name, contacts=2)
    senior = make_user(Role.SENIOR_STAFF)
    before = _behaviour_report(senior)
    assert before[0], "the report should count the old contacts"
    run = services.retention_run()
    assert run.applied_report["contacts.Contact"] == 6
    assert _behaviour_report(senior) == before


def test_batches_each_write_one_audit_row_of_counts(staff):
    old_customer(staff, contacts=5)
    services.retention_run(batch_size=2)
    batches = AuditEvent.objects.filter(action="retention.batch",
                                        changes__model="contacts.Contact")
    assert sorted(b.changes["count"] for b in batches) == [1, 2, 2]
    text = " ".join(str(b.changes) for b in AuditEvent.objects.filter(
        action__startswith="retention"))
    assert "private" not in text
    assert "Oldname" not in text


def test_a_run_cut_short_is_finished_by_the_next(staff):
    old_customer(staff, contacts=5)
    rule = registry.RULES["contacts.Contact"]
    now = timezone.now()

    def stop(rule, done):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sweep.apply_rule(rule, now, batch_size=2, progress=stop)
    assert sweep.pending(rule, now).count() == 3  # the first batch stayed done
    assert sweep.apply_rule(rule, now, batch_size=2) == 3
    assert sweep.pending(rule, now).count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_share_the_work(make_user):
    staff = make_user(Role.CASEWORKER)
    old_customer(staff, contacts=4)
    rule = registry.RULES["contacts.Contact"]
    now = timezone.now()
    locked, release = threading.Event(), threading.Event()
    first_ids = sorted(sweep.pending(rule, now).values_list("pk", flat=True))[:2]

    def other_run():
        # Another run holds its batch's row locks while this one works.
        try:
            with transaction.atomic():
                list(Contact.objects.select_for_update().filter(pk__in=first_ids))
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_run)
    thread.start()
    assert locked.wait(10)
    try:
        assert sweep.apply_rule(rule, now, batch_size=10) == 2  # skipped the locked rows
        assert set(sweep.pending(rule, now).values_list("pk", flat=True)) == set(first_ids)
    finally:
        release.set()
        thread.join()
    assert sweep.apply_rule(rule, now, batch_size=10) == 2


def test_old_inbox_messages_are_deleted(staff):
    old = InboxEntry.objects.create(recipient=staff, text="Callback due: Ann Oldname",
                                    created_at=timezone.now() - dt.timedelta(days=400))
    new = InboxEntry.objects.create(recipient=staff, text="Callback due: Bo New")
    services.retention_run()
    assert list(InboxEntry.objects.values_list("pk", flat=True)) == [new.pk]
    assert not InboxEntry.objects.filter(pk=old.pk).exists()


def test_scheduled_weekly_by_beat():
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values()
                 if e["task"] == "privacy.apply_retention")
    assert entry["schedule"] == 7 * 24 * 60 * 60


def test_the_task_runs_the_retention(staff):
    from privacy.tasks import apply_retention

    customer = old_customer(staff)
    apply_retention()
    customer.refresh_from_db()
    assert customer.family_name == registry.ANONYMISED_NAME


# --- legal hold: the service decides who may ------------------------------------------


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.LINE_MANAGER, Role.SENIOR_STAFF,
                                  Role.HEAD_OF_DEPARTMENT, Role.ADMINISTRATOR])
def test_only_compliance_may_place_a_legal_hold(role, staff, make_user):
    customer = old_customer(staff)
    with pytest.raises(PermissionDenied):
        services.legal_hold_place(customer=customer, actor=make_user(role), reason="Claim")
    assert not LegalHold.objects.exists()


def test_a_superuser_without_the_role_may_not_place_a_legal_hold(staff, make_user):
    customer = old_customer(staff)
    superuser = make_user(is_superuser=True, is_staff=True)
    with pytest.raises(PermissionDenied):
        services.legal_hold_place(customer=customer, actor=superuser, reason="Claim")


def test_a_legal_hold_needs_a_reason_and_is_audited(staff, make_user):
    customer = old_customer(staff)
    officer = make_user(Role.COMPLIANCE)
    with pytest.raises(ValidationError):
        services.legal_hold_place(customer=customer, actor=officer, reason="  ")
    hold = services.legal_hold_place(customer=customer, actor=officer, reason="Claim")
    with pytest.raises(ValidationError):
        services.legal_hold_place(customer=customer, actor=officer, reason="Again")
    assert AuditEvent.objects.filter(action="legalhold.placed", target_id=str(hold.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.legal_hold_release(hold=hold, actor=make_user(Role.LINE_MANAGER),
                                    reason="Done")
    with pytest.raises(ValidationError):
        services.legal_hold_release(hold=hold, actor=officer, reason="")
    services.legal_hold_release(hold=hold, actor=officer, reason="Settled")
    with pytest.raises(ValidationError):
        services.legal_hold_release(hold=hold, actor=officer, reason="Again")


def test_open_sar_status_values_hold_until_sent(staff, make_user):
    customer = old_customer(staff)
    sar = SubjectAccessRequest.objects.create(customer=customer, received_on=timezone.localdate(),
                                              recorded_by=make_user(Role.COMPLIANCE),
                                              status=SarStatus.READY)
    services.retention_run()
    customer.refresh_from_db()
    assert customer.family_name == "Oldname"
    SubjectAccessRequest.objects.filter(pk=sar.pk).update(status=SarStatus.SENT)
    services.retention_run()
    customer.refresh_from_db()
    assert customer.family_name == registry.ANONYMISED_NAME


# --- legal hold: the screen ----------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.LINE_MANAGER, Role.SENIOR_STAFF,
                                  Role.HEAD_OF_DEPARTMENT, Role.ADMINISTRATOR])
def test_the_legal_hold_screen_is_refused_to_everyone_but_compliance(role, staff, make_user,
                                                                      client_for):
    customer = old_customer(staff)
    client = client_for(make_user(role))
    url = reverse("privacy:legal_hold", args=[customer.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "Claim"}).status_code == 403
    assert not LegalHold.objects.exists()


def test_anonymous_is_sent_to_sign_in(staff, client):
    customer = old_customer(staff)
    response = client.get(reverse("privacy:legal_hold", args=[customer.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_compliance_places_and_releases_a_legal_hold_on_the_screen(staff, make_user,
                                                                  client_for):
    customer = old_customer(staff)
    client = client_for(make_user(Role.COMPLIANCE))
    url = reverse("privacy:legal_hold", args=[customer.pk])
    page = client.get(url).content.decode()
    assert "Place a legal hold" in page
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert "Enter why the records must be kept" in refused.content.decode()
    response = client.post(url, {"reason": "Claim CL-9 in the county court"}, follow=True)
    assert "A legal hold is in force" in response.content.decode()
    hold = LegalHold.objects.get(customer=customer)
    assert hold.reason == "Claim CL-9 in the county court"
    client.post(reverse("privacy:legal_hold_release", args=[hold.pk]),
                {"release_reason": "Claim settled"})
    hold.refresh_from_db()
    assert hold.release_reason == "Claim settled"
    assert hold.released_at is not None


def test_a_superuser_page_visit_still_cannot_place_a_hold(staff, make_user, client_for):
    customer = old_customer(staff)
    client = client_for(make_user(is_superuser=True, is_staff=True))
    response = client.post(reverse("privacy:legal_hold", args=[customer.pk]),
                           {"reason": "Claim"})
    assert response.status_code == 403
    assert not LegalHold.objects.exists()


def test_the_customer_page_offers_the_legal_hold_to_compliance_only(staff, make_user,
                                                                    client_for):
    customer = old_customer(staff)
    url = reverse("contacts:customer_detail", args=[customer.pk])
    hold_url = reverse("privacy:legal_hold", args=[customer.pk])
    assert hold_url in client_for(make_user(Role.COMPLIANCE)).get(url).content.decode()
    assert hold_url not in client_for(make_user(Role.LINE_MANAGER)).get(url).content.decode()


def test_compliance_sees_a_legal_hold_on_the_customer_page(staff, make_user, client_for):
    customer = old_customer(staff)
    officer = make_user(Role.COMPLIANCE)
    url = reverse("contacts:customer_detail", args=[customer.pk])
    assert "legal-hold-banner" not in client_for(officer).get(url).content.decode()
    services.legal_hold_place(customer=customer, actor=officer, reason="Claim")
    assert "legal-hold-banner" in client_for(officer).get(url).content.decode()
    assert "legal-hold-banner" not in client_for(
        make_user(Role.LINE_MANAGER)).get(url).content.decode()

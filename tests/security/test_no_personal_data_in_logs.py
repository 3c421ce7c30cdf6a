"""Proof 9 (issue 8): a main flow at DEBUG logs no customer name, email, phone or summary."""

import io
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Contact
from tests.contacts.factories import CustomerEmailFactory, CustomerPhoneFactory
from tests.security.world import World

pytestmark = pytest.mark.django_db

SECRETS = ["Zebedee", "Quillfeather", "zebedee.q@example.com", "07700 900123",
           "my neighbour is threatening me", "kept a knife", "Rumplestiltskin"]


def test_main_flow_logs_no_personal_data(caplog, client_for, settings):
    settings.DEBUG = False
    world = World()
    customer = world.customer
    customer.given_name, customer.family_name = "Zebedee", "Quillfeather"
    customer.save()
    CustomerEmailFactory(customer=customer, email="zebedee.q@example.com")
    CustomerPhoneFactory(customer=customer, number="07700 900123")
    caseworker = client_for(world.caseworker)
    with caplog.at_level(logging.DEBUG):
        caseworker.get(reverse("contacts:lookup"), {"q": "Quillfeather"})
        caseworker.get(reverse("contacts:lookup"), {"q": "07700 900123"})
        caseworker.get(reverse("contacts:customer_detail", args=[customer.pk]))
        caseworker.post(reverse("contacts:contact_log", args=[customer.pk]), {
            "channel": "phone", "direction": "inbound", "case_reference": "",
            "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "summary": "my neighbour is threatening me"})
        contact = Contact.objects.get(summary="my neighbour is threatening me")
        caseworker.post(reverse("contacts:contact_classify", args=[contact.pk]),
                        {"behaviour": "abusive", "equality_considered": "on"})
        caseworker.post(reverse("atrisk:report_create"), {
            "source": "telephone", "threat_type": "harm_to_others",
            "what_was_said": "kept a knife", "caller_name": "Rumplestiltskin",
            "threat_made_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "emergency_advice": "advised", "customer": customer.reference})
        # refused attempts log a warning with the path only
        client_for(world.peer).get(reverse("contacts:contact_detail", args=[contact.pk]))
    logged = "\n".join(f"{r.getMessage()} {r.args!r} {getattr(r, 'exc_text', '')}"
                       for r in caplog.records)
    # Issue 23: and the JSON lines production writes (with the request id) carry none either.
    from core.request_id import JsonLinesFormatter, RequestIdFilter

    formatter, ids = JsonLinesFormatter(), RequestIdFilter()
    logged += "\n" + "\n".join(formatter.format(r) for r in caplog.records if ids.filter(r))
    assert caplog.records, "the flow should have logged something (e.g. the refusal)"
    for secret in SECRETS:
        assert secret.lower() not in logged.lower(), f"{secret!r} appeared in the logs"


# --- issue 18: more flows, and Celery task arguments ----------------------------------------

OLD_SECRETS = ["Ottoline", "Brackenbury", "ottoline.b@example.org", "07700 900987",
               "she said she would jump", "Claim about Brackenbury", "Brackenbury GP"]


@pytest.fixture
def queued_tasks(monkeypatch):
    """Every Celery task queued during the test, with its arguments (nothing is sent)."""
    from celery.app.task import Task

    queued = []

    def record(self, args=None, kwargs=None, **options):
        queued.append((self.name, tuple(args or ()), dict(kwargs or {})))

    monkeypatch.setattr(Task, "apply_async", record)
    return queued


def _only_ids(value) -> bool:
    return value is None or isinstance(value, bool | int)


def test_data_protection_and_reminder_flows_log_no_personal_data(
        caplog, client_for, settings, queued_tasks, django_capture_on_commit_callbacks):
    import datetime as dt

    from contacts.models import Customer, CustomerEmail, CustomerPhone
    from contacts.services import contact_end
    from notifications.email_outbox import send_pending_emails
    from notifications.services import sweep
    from privacy import services as privacy_services
    from privacy.models import SubjectAccessRequest
    from tests.atrisk.factories import AtRiskReportFactory

    settings.DEBUG = False
    world = World()
    long_ago = timezone.now() - dt.timedelta(days=7 * 365)
    old = Customer.objects.create(given_name="Ottoline", family_name="Brackenbury",
                                  created_at=long_ago, address="9 Old Lane")
    CustomerEmail.objects.create(customer=old, email="ottoline.b@example.org")
    CustomerPhone.objects.create(customer=old, number="07700 900987")
    old_contact = Contact.objects.create(customer=old, channel="phone", staff=world.caseworker,
                                         started_at=long_ago, summary="she said she would jump")
    AtRiskReportFactory(raised_by=world.caseworker, customer=old,
                        what_was_said="she said she would jump", caller_name="Ottoline",
                        agencies="Brackenbury GP")
    compliance = world.compliance
    with caplog.at_level(logging.DEBUG):
        # a contact ended for behaviour, then the reminders it caused delivered and emailed
        with django_capture_on_commit_callbacks(execute=True):
            contact = Contact.objects.create(customer=world.customer, channel="phone",
                                             staff=world.caseworker, started_at=timezone.now(),
                                             behaviour="abusive")  # 7.5.1: may end at once
            contact_end(contact=contact, actor=world.caseworker, ending="terminated",
                        note="Ottoline Brackenbury swore repeatedly", explained=True)
        sweep(now=timezone.now() + dt.timedelta(days=3))
        send_pending_emails()
        # a subject access request, built by the worker
        with django_capture_on_commit_callbacks(execute=True):
            sar = privacy_services.sar_create(customer=old, received_on=timezone.localdate(),
                                              recorded_by=compliance)
        privacy_services.sar_generate(sar_id=sar.pk)
        client_for(compliance).get(reverse("privacy:sar_download", args=[sar.pk]))
        SubjectAccessRequest.objects.filter(pk=sar.pk).update(status="sent")
        # a legal hold placed and released, then the retention run over the old records
        hold = privacy_services.legal_hold_place(customer=old, actor=compliance,
                                                 reason="Claim about Brackenbury")
        privacy_services.legal_hold_release(hold=hold, actor=compliance,
                                            reason="Claim about Brackenbury settled")
        privacy_services.retention_run()
        from django.core.management import call_command

        call_command("apply_retention", "--dry-run", stdout=io.StringIO())
    old_contact.refresh_from_db()
    assert old_contact.summary == "", "the retention run should have reached the old contact"
    logged = "\n".join(f"{r.getMessage()} {r.args!r} {getattr(r, 'exc_text', '')}"
                       for r in caplog.records)
    assert "retention run" in logged, "the run should have logged its counts"
    for secret in [*SECRETS, *OLD_SECRETS, "swore repeatedly"]:
        assert secret.lower() not in logged.lower(), f"{secret!r} appeared in the logs"
    assert queued_tasks, "the flows should have queued Celery work"
    for name, args, kwargs in queued_tasks:
        assert all(_only_ids(a) for a in (*args, *kwargs.values())), (
            f"task {name} was queued with {args!r} {kwargs!r}: ids only")

"""Proof 9 (issue 8): a main flow at DEBUG logs no customer name, email, phone or summary."""

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
    assert caplog.records, "the flow should have logged something (e.g. the refusal)"
    for secret in SECRETS:
        assert secret.lower() not in logged.lower(), f"{secret!r} appeared in the logs"

"""Issue 19, finding 7: a create form sent twice creates one record.

Every create form carries a hidden one-time key (``core.idempotency``); the service claims it
in the transaction that creates the record, so a double click, a resent POST or two POSTs at
the same moment make one contact, and the second answer points at the first's record.
"""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from atrisk import services as atrisk_services
from contacts import services as contact_services
from contacts.models import Contact
from core.models import SubmissionKey
from privacy import services as privacy_services
from restrictions import services as restriction_services
from restrictions import services_followup
from tests.otp import verify_client_session
from tests.security.world import World
from welfare import services as welfare_services

KEY = re.compile(r'name="idempotency_key" value="([0-9a-f]{32})"')

# Every create form: (URL name, World attribute for its id or None, who opens it)
CREATE_PAGES = [
    ("contacts:contact_log", "customer", "caseworker"),
    ("contacts:contact_log_unknown", None, "caseworker"),
    ("contacts:callback_arrange", "contact", "caseworker"),
    ("contacts:escalation_record", "contact", "caseworker"),
    ("contacts:name_given_record", "contact", "caseworker"),
    ("contacts:written_review_raise", "contact", "caseworker"),
    ("restrictions:create", "customer", "manager"),
    ("restrictions:further_action", "customer", "manager"),
    ("restrictions:appeal", "approved_restriction", "manager"),
    ("atrisk:report_create", None, "caseworker"),
    ("atrisk:disclosure_create", "report", "senior"),
    ("privacy:sar_create", None, "compliance"),
    ("privacy:challenge_create", "customer", "compliance"),
    ("welfare:distress_raise", None, "caseworker"),
]
CREATE_SERVICES = [
    contact_services.contact_log, contact_services.callback_arrange,
    contact_services.escalation_record, contact_services.name_given_record,
    contact_services.written_review_raise, restriction_services.restriction_create,
    services_followup.further_action_record, services_followup.appeal_record,
    atrisk_services.report_raise, atrisk_services.disclosure_record,
    privacy_services.sar_create, privacy_services.challenge_record,
    welfare_services.distress_flag_raise,
]


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    verify_client_session(client, user)
    return client


def _contact_form(world, key: str) -> dict:
    return {"channel": "phone", "direction": "inbound", "case_reference": "",
            "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "summary": "Asked about the case", "idempotency_key": key}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "obj", "actor"), CREATE_PAGES)
def test_every_create_form_carries_a_fresh_hidden_key(name, obj, actor, client_for):
    world = World()
    url = reverse(name, args=[getattr(world, obj).pk] if obj else [])
    client = client_for(world.actor(actor))
    first, second = (KEY.findall(client.get(url).content.decode()) for _ in range(2))
    assert len(first) == 1, f"{name} has no hidden one-time key"
    assert first != second, "each page view gets its own key"


@pytest.mark.parametrize("service", CREATE_SERVICES, ids=lambda s: s.__name__)
def test_every_create_service_honours_the_key(service):
    assert getattr(service, "__wrapped__", None) is not None, (
        f"{service.__name__} must be wrapped in core.idempotency.idempotent")


@pytest.mark.django_db
def test_the_same_form_sent_twice_makes_one_contact(client_for):
    world = World()
    client = client_for(world.caseworker)
    url = reverse("contacts:contact_log", args=[world.customer.pk])
    key = KEY.search(client.get(url).content.decode()).group(1)
    first = client.post(url, _contact_form(world, key))
    second = client.post(url, _contact_form(world, key))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"], "the resend opens the first contact"
    assert Contact.objects.filter(customer=world.customer).count() == 1


@pytest.mark.django_db
def test_a_key_is_not_anyone_elses(client_for):
    world = World()
    url = reverse("contacts:contact_log", args=[world.customer.pk])
    key = "a" * 32
    assert client_for(world.caseworker).post(url, _contact_form(world, key)).status_code == 302
    response = client_for(world.peer).post(url, _contact_form(world, key))
    assert response.status_code == 200
    assert "already been sent" in response.content.decode()
    assert Contact.objects.filter(customer=world.customer).count() == 1


@pytest.mark.django_db
def test_a_failed_submission_leaves_the_key_unused(client_for):
    world = World()
    client = client_for(world.caseworker)
    url = reverse("contacts:contact_log", args=[world.customer.pk])
    form = _contact_form(world, "b" * 32)
    future = timezone.localtime() + timedelta(days=2)
    refused = client.post(url, {**form, "started_at": future.strftime("%Y-%m-%dT%H:%M")})
    assert refused.status_code == 200  # the service refused: nothing claimed
    assert not SubmissionKey.objects.filter(key="b" * 32).exists()
    assert client.post(url, form).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_make_one_contact():
    assert connection.vendor == "postgresql"
    world = World()
    url = reverse("contacts:contact_log", args=[world.customer.pk])
    form = _contact_form(world, "c" * 32)
    start = threading.Barrier(2, timeout=20)
    answers: list = []

    def post():
        client = _signed_in(world.caseworker)
        start.wait()
        try:
            answers.append(client.post(url, form))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert Contact.objects.filter(customer=world.customer).count() == 1


@pytest.mark.django_db
def test_old_keys_are_forgotten_after_a_week(make_user):
    from core.idempotency import forget_old_keys

    user = make_user()
    now = timezone.now()
    old = SubmissionKey.objects.create(key="d" * 32, user=user, action="x",
                                       created_at=now - timedelta(days=8))
    recent = SubmissionKey.objects.create(key="e" * 32, user=user, action="x",
                                          created_at=now - timedelta(days=6))
    assert forget_old_keys(now=now) == 1
    assert list(SubmissionKey.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not SubmissionKey.objects.filter(pk=old.pk).exists()

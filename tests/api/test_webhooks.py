"""Signed webhooks through the durable outbox: written in the change's transaction, retried
with back-off past a receiver that fails 3 times, never lost to a broker outage, every
attempt logged, HMAC-SHA256 over "timestamp.body", ids and kinds only."""

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.constants import Role
from api import keys, outbox, services
from api.constants import EventKind, Scope
from api.models import WebhookAttempt, WebhookDelivery
from contacts.services import contact_log
from restrictions.services import restriction_lift
from tests.api.receiver import Receiver
from tests.contacts.factories import CustomerFactory
from tests.notifications.processes import ROOT, RedisServer, current_database_url, wait_for
from tests.restrictions.factories import ApprovedRestrictionFactory

LATER = timedelta(hours=2)  # past any back-off


def _subscribe(client, url, events):
    return services.subscription_create(client=client, url=url, events=events)


def _verify(secret, headers, body) -> dict:
    assert keys.signature_valid(secret, headers["Webhook-Timestamp"], body,
                                headers["Webhook-Signature"])
    return json.loads(body)


@pytest.mark.django_db
def test_receiver_failing_three_times_gets_it_on_the_fourth_attempt(make_client, make_user):
    client, _ = make_client(scopes=[Scope.WEBHOOKS])
    staff = make_user(Role.CASEWORKER)
    with Receiver(fail_first=3) as receiver:
        _, secret = _subscribe(client, receiver.url, [EventKind.CONTACT_LOGGED])
        customer = CustomerFactory()
        contact = contact_log(actor=staff, customer=customer, channel="phone",
                              direction="inbound", started_at=timezone.now())
        delivery = WebhookDelivery.objects.get()  # written with the contact
        now = timezone.now()
        for attempt in range(1, 5):
            result = outbox.deliver_due(now=now + LATER * attempt)
            delivery.refresh_from_db()
            assert delivery.attempts == attempt
        assert result == {"delivered": 1, "failed": 0}
        assert delivery.delivered_at is not None
        assert list(WebhookAttempt.objects.filter(delivery=delivery)
                    .values_list("status_code", flat=True)) == [500, 500, 500, 200]
        assert outbox.deliver_due(now=now + LATER * 10) == {"delivered": 0, "failed": 0}
        assert len(receiver.requests) == 4
        ids = {h["Webhook-Id"] for h, _, _ in receiver.requests}
        assert ids == {str(delivery.event_id)}  # the same event each time: receivers dedupe
        headers, body = receiver.delivered()[0]
        event = _verify(secret, headers, body)
    assert event["kind"] == "contact.logged"
    assert event["data"] == {"contact_id": contact.pk, "customer_id": customer.pk,
                             "channel": "phone", "direction": "inbound"}
    assert customer.family_name not in body.decode()  # ids and kinds, never names


@pytest.mark.django_db
def test_back_off_grows_and_waits(make_client, settings):
    settings.API_WEBHOOK_BACKOFF_SECONDS = 30
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert outbox.backoff(20).total_seconds() == 3600
    client, _ = make_client(scopes=[Scope.WEBHOOKS])
    with Receiver(fail_first=99) as receiver:
        _subscribe(client, receiver.url, [EventKind.CONTACT_LOGGED])
        outbox.event_write(kind=EventKind.CONTACT_LOGGED, data={"contact_id": 1})
        outbox.deliver_due()
        assert outbox.deliver_due() == {"delivered": 0, "failed": 0}  # not due again yet
        assert len(receiver.requests) == 1


@pytest.mark.django_db
def test_restriction_lifted_is_sent_only_to_subscribers_of_that_kind(
        make_client, requester, make_user):
    wants, _ = make_client(scopes=[Scope.WEBHOOKS])
    other, _ = make_client(scopes=[Scope.WEBHOOKS])
    restriction = ApprovedRestrictionFactory(**requester)
    with Receiver() as receiver:
        _, secret = _subscribe(wants, receiver.url, [EventKind.RESTRICTION_LIFTED])
        _subscribe(other, receiver.url, [EventKind.RESTRICTION_DECIDED])
        restriction_lift(restriction=restriction, actor=requester["decided_by"],
                         reason="Behaviour has improved.")
        assert WebhookDelivery.objects.count() == 1
        outbox.deliver_due()
        headers, body = receiver.delivered()[0]
    event = _verify(secret, headers, body)
    assert event["kind"] == "restriction.lifted"
    assert event["data"] == {"restriction_id": restriction.pk,
                             "customer_id": restriction.customer_id,
                             "record_kind": "restriction", "status": "lifted"}
    assert "improved" not in body.decode()


@pytest.mark.django_db
def test_rolled_back_change_writes_no_delivery(make_client, make_user):
    client, _ = make_client(scopes=[Scope.WEBHOOKS])
    _subscribe(client, "http://127.0.0.1:9/x", [EventKind.CONTACT_LOGGED])
    staff, customer = make_user(Role.CASEWORKER), CustomerFactory()

    def log_then_fail():
        with transaction.atomic():
            contact_log(actor=staff, customer=customer, channel="phone",
                        direction="inbound", started_at=timezone.now())
            raise RuntimeError

    with pytest.raises(RuntimeError):
        log_then_fail()
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db
def test_revoked_client_gets_nothing_and_unreachable_url_is_logged(
        make_client, administrator):
    client, _ = make_client(scopes=[Scope.WEBHOOKS])
    _subscribe(client, "http://127.0.0.1:9/nothing-listens-here", [EventKind.CONTACT_LOGGED])
    outbox.event_write(kind=EventKind.CONTACT_LOGGED, data={"contact_id": 1})
    outbox.deliver_due()
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert attempt.error  # e.g. URLError: connection refused
    services.client_revoke(actor=administrator, client=client)
    assert outbox.event_write(kind=EventKind.CONTACT_LOGGED, data={"contact_id": 2}) == 0


@pytest.mark.django_db
def test_subscription_api_shows_secret_once_and_lists_deliveries(api, full_client):
    created = api.post("/api/v1/webhooks/subscriptions", {
        "url": "https://cmeh.example/hooks", "events": ["contact.logged"]}, format="json")
    assert created.status_code == 201
    assert created.json()["secret"].startswith("whsec_")
    listed = api.get("/api/v1/webhooks/subscriptions").json()
    assert "secret" not in listed[0]
    outbox.event_write(kind=EventKind.CONTACT_LOGGED, data={"contact_id": 5})
    deliveries = api.get("/api/v1/webhooks/deliveries").json()
    assert deliveries[0]["kind"] == "contact.logged"
    assert deliveries[0]["attempts"] == 0
    sub_id = created.json()["id"]
    assert api.delete(f"/api/v1/webhooks/subscriptions/{sub_id}").status_code == 204
    assert api.get("/api/v1/webhooks/subscriptions").json() == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["http://cmeh.example/hooks", "ftp://127.0.0.1/x"])
def test_subscription_needs_https(api, url):
    response = api.post("/api/v1/webhooks/subscriptions",
                        {"url": url, "events": ["contact.logged"]}, format="json")
    assert response.status_code == 400


# A broker outage: the event is written by a web process that cannot reach Redis; beat's
# periodic delivery posts it once Redis is back (and past a receiver failing 3 times).

def _event_in_a_web_process(broker_url: str) -> subprocess.CompletedProcess:
    code = (
        "from django.db import transaction\n"
        "from api.outbox import event_write\n"
        "with transaction.atomic():\n"
        "    print('WRITTEN', event_write(kind='contact.logged', data={'contact_id': 77}))\n"
    )
    env = {**os.environ, "DATABASE_URL": current_database_url(), "REDIS_URL": broker_url}
    return subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.django_db(transaction=True)
def test_webhook_written_during_a_broker_outage_is_delivered_when_it_returns(
        tmp_path, make_client):
    from tests.notifications.processes import Worker

    for name in Role.values:
        from django.contrib.auth.models import Group

        Group.objects.get_or_create(name=name)
    client, _ = make_client(scopes=[Scope.WEBHOOKS])
    private = RedisServer(tmp_path)
    private.start()
    worker = None
    with Receiver(fail_first=3) as receiver:
        _, secret = _subscribe(client, receiver.url, [EventKind.CONTACT_LOGGED])
        try:
            worker = Worker(tmp_path, "beat", broker=private.url,
                            args=("--beat", str(tmp_path / "beat")),
                            env={"API_WEBHOOK_SWEEP_SECONDS": "1",
                                 "API_WEBHOOK_BACKOFF_SECONDS": "0.5"})
            worker.wait_ready()
            private.stop()  # the broker goes away before the event happens
            written = _event_in_a_web_process(private.url)
            assert written.returncode == 0, written.stderr
            assert "WRITTEN 1" in written.stdout
            assert "could not queue a webhook delivery" in written.stderr
            delivery = WebhookDelivery.objects.get()  # committed, not yet delivered
            assert delivery.delivered_at is None
            private.start()  # beat reconnects and its periodic run delivers it
            wait_for(lambda: WebhookDelivery.objects.filter(delivered_at__isnull=False).exists(),
                     timeout=120, what="the webhook to be delivered after Redis came back")
        finally:
            if worker is not None:
                worker.kill()
            private.stop()
        assert len(receiver.delivered()) == 1
        headers, body = receiver.delivered()[0]
        assert _verify(secret, headers, body)["data"] == {"contact_id": 77}
    delivery.refresh_from_db()
    assert delivery.attempts == 4


@pytest.mark.django_db
def test_approval_and_call_log_submit_are_sent_with_the_clients_own_customer_id(
        make_client, make_user):
    from accounts.models import Department
    from api.models import ExternalCustomer
    from callogs.services import calllog_submit
    from restrictions.services import restriction_approve
    from tests.callogs.factories import DraftLogFactory, TerminatedContactFactory
    from tests.restrictions.factories import RestrictionFactory

    client, _ = make_client(scopes=[Scope.WEBHOOKS])
    department = Department.objects.create(name="Customer Contact")
    hod = make_user(Role.HEAD_OF_DEPARTMENT, department=department)
    department.head = hod
    department.save()
    manager = make_user(Role.LINE_MANAGER, department=department)
    restriction = RestrictionFactory(requested_by=manager)
    ExternalCustomer.objects.create(client=client, external_id="CMEH-991",
                                    customer=restriction.customer)
    caseworker = make_user(Role.CASEWORKER, line_manager=manager)
    log = DraftLogFactory(contact=TerminatedContactFactory(staff=caseworker,
                                                           customer=restriction.customer),
                          case_reference="RFA0000007")
    with Receiver() as receiver:
        _, secret = _subscribe(client, receiver.url, [EventKind.RESTRICTION_DECIDED,
                                                      EventKind.CALLLOG_SUBMITTED])
        restriction_approve(restriction=restriction, actor=hod)
        calllog_submit(log=log, actor=caseworker)
        outbox.deliver_due()
        events = [_verify(secret, h, b) for h, b in receiver.delivered()]
    by_kind = {e["kind"]: e["data"] for e in events}
    assert by_kind["restriction.decided"] == {
        "restriction_id": restriction.pk, "customer_id": restriction.customer_id,
        "record_kind": "restriction", "status": "approved",
        "customer_external_id": "CMEH-991"}
    assert by_kind["terminated_call_log.submitted"] == {
        "terminated_call_log_id": log.pk, "contact_id": log.contact_id,
        "customer_id": restriction.customer_id, "case_reference": "RFA0000007",
        "customer_external_id": "CMEH-991"}


@pytest.mark.django_db
def test_two_sweeps_holding_the_same_row_post_it_once(make_client):
    """Row locks do the work on PostgreSQL; the conditional claim does it where there are
    none (SQLite under make run): a sweep holding a stale copy of the row skips it."""
    client, _ = make_client(scopes=[Scope.WEBHOOKS])
    with Receiver() as receiver:
        _subscribe(client, receiver.url, [EventKind.CONTACT_LOGGED])
        outbox.event_write(kind=EventKind.CONTACT_LOGGED, data={"contact_id": 1})
        mine, theirs = WebhookDelivery.objects.get(), WebhookDelivery.objects.get()
        assert outbox._claim(mine) is True
        assert outbox._attempt(mine) is True
        assert outbox._claim(theirs) is False  # the other sweep's copy is stale
        assert len(receiver.requests) == 1

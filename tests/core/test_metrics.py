"""Issue 23: Prometheus metrics at /metrics, for the scraper's token only (core.metrics).

Denied by default: no METRICS_TOKEN, 404; a missing or wrong token, 401, whoever is signed
in. With the token: request latency by view, database queries, Celery task failures and the
application gauges read from the database, with no personal data in any label.
"""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from accounts.constants import Role
from core.metrics import worker_metrics_app
from core.tasks import forget_old_submission_keys
from notifications.models import DueItem

pytestmark = pytest.mark.django_db

TOKEN = "scrape-token-0123456789-abcdef"
ROOT = Path(__file__).resolve().parents[2]
# Every label a series may carry: names of views, methods, statuses, kinds, tasks; never who.
ALLOWED_LABELS = {"view", "method", "status", "transport", "templatename", "charset", "type",
                  "alias", "vendor", "kind", "task", "stage", "le", "quantile",
                  # the client library's own process and platform series
                  "implementation", "major", "minor", "patchlevel", "version", "generation"}


def scrape(client, token=TOKEN):
    return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")


def samples(text: str) -> dict[str, list]:
    found: dict[str, list] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append(sample)
    return found


def value(found, name, **labels) -> float:
    matching = [s.value for s in found.get(name, [])
                if all(s.labels.get(k) == v for k, v in labels.items())]
    assert matching, f"no sample {name}{labels}"
    return sum(matching)


def test_the_url_is_metrics():
    assert reverse("core:metrics") == "/metrics"


def test_without_a_token_configured_it_is_not_found_even_for_the_superuser(client, client_for,
                                                                           make_user,
                                                                           settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert scrape(client, "").status_code == 404
    superuser = make_user(is_superuser=True, is_staff=True)
    assert client_for(superuser).get("/metrics").status_code == 404


@pytest.mark.parametrize("header", ["", "Bearer ", "Bearer wrong-token-0123456789-abcdef",
                                    f"Basic {TOKEN}", f"Bearer {TOKEN}x", TOKEN])
def test_a_missing_or_wrong_token_is_refused(client, settings, header):
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"django_http" not in response.content


def test_a_signed_in_session_is_not_a_token(client_for, make_user, settings):
    settings.METRICS_TOKEN = TOKEN
    for user in (make_user(Role.ADMINISTRATOR), make_user(is_superuser=True, is_staff=True)):
        assert client_for(user).get("/metrics").status_code == 401


def test_the_right_token_gets_the_metrics(client, settings):
    settings.METRICS_TOKEN = TOKEN
    client.get(reverse("core:healthz"))
    response = scrape(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    found = samples(response.content.decode())
    assert value(found, "django_http_requests_latency_seconds_by_view_method_count",
                 view="core:healthz", method="GET") >= 1
    assert value(found, "django_db_execute_total", vendor="postgresql") >= 1
    assert value(found, "contact_app_metrics_up") == 1


def test_the_token_must_be_long_enough():
    env = {**os.environ, "METRICS_TOKEN": "short"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "METRICS_TOKEN must be at least 24 characters" in result.stderr


def test_a_failing_task_is_counted_by_task_name(client, settings):
    settings.METRICS_TOKEN = TOKEN
    name = "core.forget_old_submission_keys"
    before = samples(scrape(client).content.decode())
    already = sum(s.value for s in before.get("celery_task_failures_total", [])
                  if s.labels["task"] == name)
    result = forget_old_submission_keys.apply(args=["unexpected"], throw=False)
    assert result.failed()
    after = samples(scrape(client).content.decode())
    assert value(after, "celery_task_failures_total", task=name) == already + 1


def test_the_application_gauges_are_read_at_scrape_time(client, settings, make_user):
    from api.models import WebhookDelivery, WebhookSubscription
    from privacy.constants import SarStatus
    from privacy.models import SubjectAccessRequest
    from tests.contacts.factories import CustomerFactory
    from tests.security.world import World

    settings.METRICS_TOKEN = TOKEN
    now = timezone.now()
    recipient = make_user(Role.CASEWORKER)
    for n, minutes in enumerate([30, 5]):
        DueItem.objects.create(kind="general", key=f"m:{n}", recipient=recipient,
                               due_at=now - timedelta(minutes=minutes), message="Due")
    DueItem.objects.create(kind="general", key="m:future", recipient=recipient,
                           due_at=now + timedelta(hours=1), message="Not yet")
    DueItem.objects.create(kind="general", key="m:sent", recipient=recipient,
                           due_at=now - timedelta(hours=2), sent_at=now - timedelta(hours=1),
                           message="Delivered, email owed")
    world = World()
    subscription = WebhookSubscription.objects.create(
        client=world.system_client, url="https://example.org/hook", events=["restriction.decided"],
        secret="s")
    WebhookDelivery.objects.create(subscription=subscription, kind="restriction.decided",
                                   payload={}, created_at=now - timedelta(minutes=20))
    WebhookDelivery.objects.create(subscription=subscription, kind="restriction.decided",
                                   payload={}, given_up_at=now - timedelta(hours=1))
    WebhookDelivery.objects.create(subscription=subscription, kind="restriction.decided",
                                   payload={}, given_up_at=now - timedelta(days=3))
    SubjectAccessRequest.objects.create(
        customer=CustomerFactory(), received_on=now.date(), recorded_by=recipient,
        status=SarStatus.IN_PROGRESS, heartbeat_at=now - timedelta(hours=1))

    found = samples(scrape(client).content.decode())
    assert value(found, "contact_due_items_overdue", kind="general") == 2
    assert 29 * 60 < value(found, "contact_due_items_overdue_oldest_seconds",
                           kind="general") < 31 * 60
    assert value(found, "contact_email_outbox_pending", stage="reminder") == 1
    assert value(found, "contact_email_outbox_oldest_seconds", stage="reminder") >= 3600
    assert value(found, "contact_webhook_outbox_pending") == 1
    assert value(found, "contact_webhook_outbox_oldest_seconds") >= 20 * 60
    assert value(found, "contact_webhook_outbox_given_up") == 1  # the last 24 hours only
    assert value(found, "contact_sar_exports_stalled") == 1


def test_no_personal_data_in_any_label(client, client_for, make_user, settings):
    from tests.contacts.factories import CustomerFactory

    settings.METRICS_TOKEN = TOKEN
    customer = CustomerFactory(given_name="Zebedee", family_name="Quarrington")
    staff = client_for(make_user(Role.CASEWORKER))
    staff.get(reverse("contacts:customer_detail", args=[customer.pk]))
    staff.get(reverse("contacts:lookup"), {"q": "Quarrington"})
    text = scrape(client).content.decode()
    assert "Quarrington" not in text
    assert "Zebedee" not in text
    assert f"/{customer.pk}/" not in text
    views = set()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            assert set(sample.labels) <= ALLOWED_LABELS, (sample.name, sample.labels)
            views.add(sample.labels.get("view"))
    assert "contacts:customer_detail" in views


def test_several_processes_are_summed_in_multiprocess_mode(client, settings, tmp_path,
                                                           monkeypatch):
    """gunicorn's workers each count in their own memory: with PROMETHEUS_MULTIPROC_DIR they
    write files there and one scrape sums them (docs/DECISIONS.md)."""
    settings.METRICS_TOKEN = TOKEN
    code = ("from prometheus_client import Counter; "
            "Counter('celery_task_failures_total', 'x', ['task'])"
            ".labels(task='tests.multiprocess').inc()")
    for _ in range(2):
        subprocess.run([sys.executable, "-c", code], check=True, timeout=60,
                       env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)})
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    found = samples(scrape(client).content.decode())
    assert value(found, "celery_task_failures_total", task="tests.multiprocess") == 2
    assert value(found, "contact_app_metrics_up") == 1  # the gauges are still added


def _call_worker_app(path="/metrics", authorization=None):
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET"}
    if authorization is not None:
        environ["HTTP_AUTHORIZATION"] = authorization
    status = []
    body = b"".join(worker_metrics_app(environ, lambda s, h: status.append(s)))
    return status[0], body.decode()


def test_the_worker_port_takes_the_same_token(settings):
    settings.METRICS_TOKEN = ""
    assert _call_worker_app(authorization=f"Bearer {TOKEN}")[0].startswith("404")
    settings.METRICS_TOKEN = TOKEN
    assert _call_worker_app()[0].startswith("401")
    assert _call_worker_app(authorization="Bearer nope")[0].startswith("401")
    assert _call_worker_app("/other", f"Bearer {TOKEN}")[0].startswith("404")
    forget_old_submission_keys.apply(args=["unexpected"], throw=False)
    status, body = _call_worker_app(authorization=f"Bearer {TOKEN}")
    assert status.startswith("200")
    assert "celery_task_failures_total" in body
    assert "contact_app_metrics_up" not in body  # the web tier's, not counted twice


def _workers_with_the_app(log_text: str) -> int:
    """How many of the gunicorn workers named in the log hold a metrics file of their own
    open (prometheus_client opens ``<kind>_<pid>.db`` when the app's metrics are defined)."""
    ready = 0
    for pid in set(re.findall(r"Booting worker with pid: (\d+)", log_text)):
        try:
            links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
        except OSError:  # gone, or a link closed meanwhile: look again next time
            continue
        ready += any(link.endswith(f"_{pid}.db") for link in links)
    return ready


@pytest.mark.django_db(transaction=True)
def test_under_gunicorn_every_scrape_counts_every_workers_requests(tmp_path):
    """Real gunicorn with config/gunicorn.py and 3 workers: whichever worker answers the
    scrape, it reports the requests all of them served (multiprocess mode)."""
    import urllib.request

    from tests.notifications.processes import current_database_url, free_port, wait_for

    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {**os.environ, "DATABASE_URL": current_database_url(), "GUNICORN_WORKERS": "3",
           "METRICS_TOKEN": TOKEN, "PYTHONUNBUFFERED": "1"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--config",
             "config/gunicorn.py", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"

    def get(path, headers=None):
        request = urllib.request.Request(base + path, headers=headers or {})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, ""
        except OSError:
            return None, ""

    try:
        wait_for(lambda: get("/healthz")[0] or server.poll() is not None, timeout=60,
                 what="gunicorn to answer")
        assert server.poll() is None, log.read_text()
        # Every worker serving before the requests (else one worker could answer them all and
        # the sum across processes would go unproved): each of the 3 has been forked (gunicorn
        # logs "Booting worker with pid: N") and has imported the app, which opens its
        # multiprocess sample files (named with its pid) in PROMETHEUS_MULTIPROC_DIR.
        wait_for(lambda: _workers_with_the_app(log.read_text()) >= 3 or server.poll() is not None,
                 timeout=60, what="every gunicorn worker to import the app")
        assert server.poll() is None, log.read_text()
        for _ in range(30):
            get("/healthz")
        counts = []
        for _ in range(6):
            status, text = get("/metrics", {"Authorization": f"Bearer {TOKEN}"})
            assert status == 200, log.read_text()[-2000:]
            counts.append(value(samples(text),
                                "django_http_requests_latency_seconds_by_view_method_count",
                                view="core:healthz"))
        assert all(count >= 31 for count in counts), counts
        assert get("/metrics", {"Authorization": "Bearer wrong"})[0] == 401
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)

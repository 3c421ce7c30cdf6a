"""``seed_bench`` and ``bench`` at a small size: the commands behind ``make bench`` work."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from callogs.models import TerminatedCallLog
from contacts.models import Callback, Contact, Customer
from dashboards.models import REPORTED_STATUSES, CallbackMonth, ContactMonth, RestrictionSpan
from restrictions.models import Restriction


@pytest.fixture
def seeded(db):
    out = StringIO()
    call_command("seed_bench", customers=400, contacts=2_000, staff=22, seed=5, stdout=out)
    return out.getvalue()


def test_seed_bench_writes_varied_data_and_the_report_counts(seeded):
    assert "Seeded 400 customers and 2,000 contacts" in seeded
    assert Customer.objects.filter(reference__startswith="CUS-B").count() == 400
    assert Contact.objects.count() == 2_000
    assert Contact.objects.exclude(behaviour="").exists()
    assert Contact.objects.filter(terminated=True).count() == \
        TerminatedCallLog.objects.count()
    assert Restriction.objects.filter(status="approved").exists()
    # Requests waiting for the Head of Department: 40, or every restriction if fewer.
    restrictions = Restriction.objects.filter(kind="restriction")
    assert restrictions.filter(status="submitted").count() == min(40, restrictions.count())
    callbacks = Callback.objects.all()
    assert callbacks.count() == Contact.objects.filter(pk__in=callbacks.values("contact")).count()
    assert callbacks.filter(status="done", done_at__lte=F("due_at")).exists()  # on time
    assert callbacks.filter(status="done", done_at__gt=F("due_at")).exists()  # late
    # The trigger was off during the COPY; the recount afterwards counted every contact, and
    # the trigger is back on.
    assert sum(ContactMonth.objects.values_list("contacts", flat=True)) == 2_000
    assert sum(CallbackMonth.objects.values_list("callbacks", flat=True)) == callbacks.count()
    Contact.objects.filter(pk=Contact.objects.order_by("pk").first().pk).delete()
    assert sum(ContactMonth.objects.values_list("contacts", flat=True)) == 1_999
    reported = Restriction.objects.filter(status__in=REPORTED_STATUSES)
    assert _spanned() == reported.count() > 0
    reported.filter(pk=reported.order_by("pk").first().pk).update(status="withdrawn")
    assert _spanned() == reported.count()


def _spanned() -> int:
    return sum(r.restriction + r.adjustment for r in RestrictionSpan.objects.all())


def test_bench_measures_every_page_and_the_sweep_or_only_the_pages_asked_for(seeded):
    # One seed for both runs: seeding is the slow part.
    out = StringIO()
    call_command("bench", requests=2, sweep_items=200, no_write=True, stdout=out)
    text = out.getvalue()
    for page in ("floor: base template", "lookup: surname fragment", "customer page",
                 "contact screen", "log a contact (POST)", "review queue",
                 "report: behaviour by month (department)"):
        assert page in text
    assert "items/second" in text or "items per second" in text

    out = StringIO()
    call_command("bench", requests=2, only=["lookup: email"], stdout=out)
    rows = [line for line in out.getvalue().splitlines() if line.startswith("| ")][1:]
    assert [r.split(" | ")[0] for r in rows] == ["| floor: base template, no data",
                                                  "| lookup: email"]


def test_prepare_load_gives_deciders_new_keys_and_keeps_requests_waiting(seeded, client):
    """make load's Heads of Department sign in with a password and a one-time code from the
    key printed for this run, and always have requests to decide (7.2)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from restrictions.constants import Status
    from restrictions.models import Restriction

    out = StringIO()
    call_command("prepare_load", waiting=45, stdout=out, stderr=StringIO())
    deciders = dict(pair.split(":") for pair in out.getvalue().strip().split(","))
    assert set(deciders) == {"bench-hod", "bench-deputy"}
    waiting = Restriction.objects.filter(status=Status.SUBMITTED)
    assert waiting.count() == 45
    assert not waiting.filter(customer__restrictions__status=Status.APPROVED).exists()
    # The benchmark's own customer is never put to a decision the load test would approve.
    from core.bench.scenarios import hot_customer
    assert not waiting.filter(customer=hot_customer()).exists()
    again = StringIO()
    call_command("prepare_load", waiting=45, stdout=again, stderr=StringIO())
    assert waiting.count() == 45  # topped up, not added to
    new_keys = dict(pair.split(":") for pair in again.getvalue().strip().split(","))
    assert new_keys["bench-hod"] != deciders["bench-hod"]  # a new key each run
    assert TOTPDevice.objects.filter(user__username="bench-hod").count() == 1

    page = client.post("/accounts/sign-in/", {"username": "bench-deputy",
                                              "password": "bench-password-2026"}, follow=True)
    assert page.request["PATH_INFO"] == "/accounts/two-factor/"
    code = f"{TOTP(bytes.fromhex(new_keys['bench-deputy'])).token():06d}"
    client.post("/accounts/two-factor/", {"token": code})
    assert client.get("/restrictions/to-decide/").status_code == 200


def test_seeded_restrictions_keep_to_the_longest_review_period():
    """12.1: a restriction is reviewed within six months (an adjustment within twelve), so a
    seeded request can be approved as it stands and a seeded record is valid. Every row the
    full-size seed writes (1,000,000 customers), without a database."""
    import random
    from types import SimpleNamespace

    from core.bench import seeding
    from core.bench.seed_more import _restrictions
    from restrictions import review_periods

    plan = seeding.Plan(customers=1_000_000, contacts=0, staff=0, rng=random.Random(1),
                        base={"contacts.Customer": 0})
    user = SimpleNamespace(pk=1, department_id=1)
    rows = list(_restrictions(plan, hod=user, requester=user, base=0))
    assert len(rows) == 25_000
    today = rows[0]["submitted_at"].date()  # the seed's today, near enough
    for row in rows:
        assert row["start_date"] <= row["review_date"] <= review_periods.latest_review_date(
            row["kind"], row["start_date"]), row
        assert row["review_date"] > today  # in force (or waiting) today

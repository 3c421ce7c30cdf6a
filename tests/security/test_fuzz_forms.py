"""Proof 7 (issue 8): the main forms, fuzzed with hypothesis, never answer 500.

Random text (unicode, NUL bytes, very long), numbers and dates go into every field of the
contact log, classification, callback, restriction request, at-risk report, log review and
privacy challenge forms; the answer is a page with errors (200), a redirect or a refusal.
"""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.otp import verify_client_session
from tests.security.world import World

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20).map(
        lambda s: s + "\x00"),
    st.integers(min_value=-10**20, max_value=10**20).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["", " ", "x" * 20000, "2026-02-30T25:61", "31/02/2026 10:00",
                     "9999-12-31T23:59", "0001-01-01", "-1", "1e309", "NaN", "__proto__",
                     "decided_by__password", "<script>alert(1)</script>"]),
)


def fields(*names):
    return st.fixed_dictionaries({}, optional=dict.fromkeys(names, text))


def _check(response):
    assert response.status_code in (200, 302, 400, 403, 404), response.status_code


CONTACT_LOG = ("caller_name", "channel", "direction", "case_reference", "started_at",
               "summary")
CLASSIFY = ("behaviour", "equality_considered", "equality_note")
CALLBACK = ("assigned_to", "due_at", "late_reason")
RESTRICTION = ("grounds", "grounds_contacts", "grounds_references", "terms", "start_date_0",
               "start_date_1", "start_date_2", "review_date_0", "review_date_1",
               "review_date_2", "end_date_0", "phone_times", "point_of_contact", "need")
AT_RISK = ("source", "threat_type", "what_was_said", "caller_name", "caller_phone",
           "caller_other_details", "location_given", "threat_made_at", "emergency_advice",
           "customer", "case_reference", "case_note")
LOG_REVIEW = ("discussed_on_0", "discussed_on_1", "discussed_on_2",
              "staff_clear_about_circumstances", "effect_on_staff", "advice_and_support",
              "next_steps")
CHALLENGE = ("statement", "received_on", "received_on_0", "received_on_1", "received_on_2",
             "target")


def _post(user_attr, url_of, data):
    world = World()
    client = Client()
    user = world.actor(user_attr)
    client.force_login(user)
    verify_client_session(client, user)
    _check(client.post(url_of(world), data))


@FUZZ
@given(data=fields(*CONTACT_LOG))
def test_contact_log(db, data):
    _post("caseworker", lambda w: reverse("contacts:contact_log", args=[w.customer.pk]), data)


@FUZZ
@given(data=fields(*CLASSIFY))
def test_classify(db, data):
    _post("caseworker", lambda w: reverse("contacts:contact_classify", args=[w.contact.pk]),
          data)


@FUZZ
@given(data=fields(*CALLBACK))
def test_callback(db, data):
    _post("caseworker", lambda w: reverse("contacts:callback_arrange", args=[w.contact.pk]),
          data)


@FUZZ
@given(data=fields(*RESTRICTION))
def test_restriction_request(db, data):
    _post("manager", lambda w: reverse("restrictions:create", args=[w.customer.pk]), data)


@FUZZ
@given(data=fields(*AT_RISK))
def test_at_risk_report(db, data):
    _post("caseworker", lambda w: reverse("atrisk:report_create"), data)


@FUZZ
@given(data=fields(*LOG_REVIEW))
def test_log_review(db, data):
    _post("manager", lambda w: reverse("callogs:review", args=[w.submitted_log.pk]), data)


@FUZZ
@given(data=fields(*CHALLENGE))
def test_privacy_challenge(db, data):
    _post("compliance", lambda w: reverse("privacy:challenge_create", args=[w.customer.pk]),
          data)

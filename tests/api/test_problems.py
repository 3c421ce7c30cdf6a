"""Bad input answers 400 (or 401/403/404/405) with an RFC 9457 problem, never a 500."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db
EVENTS = "/api/v1/calls/events"


def _assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= {"type", "title", "status", "detail"}
    assert body["status"] == status
    return body


def test_malformed_json(api):
    response = api.post(EVENTS, data=b'{"event": "new_call",', content_type="application/json")
    body = _assert_problem(response, 400)
    assert body["type"] == "urn:contact-handling:problem:parse-error"


def test_huge_body(api, settings):
    settings.API_MAX_BODY_BYTES = 1000
    payload = json.dumps({"event": "new_call", "call_id": "x" * 5000})
    body = _assert_problem(api.post(EVENTS, data=payload, content_type="application/json"), 400)
    assert "too large" in body["title"].lower() or "over 1000 bytes" in body["detail"]


def test_wrong_types_and_unknown_fields(api):
    response = api.post(EVENTS, {"event": "new_call", "call_id": ["a"], "direction": 7,
                                 "colour": "blue"}, format="json")
    body = _assert_problem(response, 400)
    assert set(body["errors"]) >= {"call_id", "direction"}
    response = api.post(EVENTS, {"event": "hangup", "call_id": "c1", "colour": "blue"},
                        format="json")
    assert _assert_problem(response, 400)["errors"] == {
        "colour": ["This field is not part of the request."]}


@pytest.mark.parametrize("body", [b"[]", b'"text"', b"42", b"null"])
def test_a_body_that_is_not_an_object(api, body):
    _assert_problem(api.post(EVENTS, data=body, content_type="application/json"), 400)


def test_not_json_at_all(api):
    _assert_problem(api.post(EVENTS, data="event=new_call",
                             content_type="application/x-www-form-urlencoded"), 415)


def test_wrong_method_and_unknown_path(api):
    _assert_problem(api.get(EVENTS), 405)
    _assert_problem(api.get("/api/v1/no-such-thing"), 404)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10)
fields = st.sampled_from(["event", "call_id", "caller_number", "called_number", "direction",
                          "agent", "at", "url", "events", "case_reference"])
bodies = st.dictionaries(fields, json_values, max_size=6) | json_values


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies, path=st.sampled_from([
    EVENTS, "/api/v1/webhooks/subscriptions",
    "/api/v1/case-file/terminated-call-logs/1/placed"]))
def test_fuzzed_bodies_never_500(api, body, path):
    response = api.post(path, data=json.dumps(body), content_type="application/json")
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(["phone", "email", "case_reference", "x"]),
                              st.text(max_size=60), max_size=3))
def test_fuzzed_lookups_never_500(api, params):
    response = api.get("/api/v1/callers", params)
    assert response.status_code in (200, 400), response.content


def test_a_bug_is_a_500_problem_without_the_error_text_in_the_log(api, monkeypatch, caplog):
    from api import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("customer Jo Bloggs 07700 900123")

    monkeypatch.setattr(selectors, "callers", broken)
    response = api.get("/api/v1/callers", {"phone": "07700900123"})
    body = _assert_problem(response, 500)
    assert body["type"] == "urn:contact-handling:problem:server-error"
    assert "Jo Bloggs" not in response.content.decode()
    assert "Jo Bloggs" not in caplog.text
    assert "api unhandled RuntimeError at callers" in caplog.text

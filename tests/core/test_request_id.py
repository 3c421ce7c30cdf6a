"""Issue 23: a request id on every log line (taken from a well-formed X-Request-ID, else
made), echoed in the response; logs as JSON lines."""

import io
import json
import logging

import pytest
from django.urls import reverse

from accounts.constants import Role
from core.request_id import JsonLinesFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonLinesFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


def test_a_well_formed_incoming_id_is_kept_and_echoed(client_for, make_user):
    client = client_for(make_user(Role.CASEWORKER))
    response = client.get(reverse("core:help_index"), HTTP_X_REQUEST_ID="lb-1234abcd.5")
    assert response["X-Request-ID"] == "lb-1234abcd.5"


@pytest.mark.parametrize("incoming", ["", "short", "has space in it", "x" * 65,
                                      "<script>alert(1)</script>", "a\u202eevil12345"])
def test_a_missing_or_malformed_id_is_replaced(client, incoming):
    response = client.get(reverse("core:healthz"), HTTP_X_REQUEST_ID=incoming)
    made = response["X-Request-ID"]
    assert made != incoming
    assert len(made) == 32
    assert int(made, 16) >= 0


def test_every_log_line_of_a_request_carries_its_id_as_json(client_for, make_user, json_log,
                                                            settings):
    settings.DEBUG = False
    peer = client_for(make_user())  # no role: the lookup is refused and logged
    response = peer.get(reverse("contacts:lookup"), HTTP_X_REQUEST_ID="trace-0001-abcd")
    assert response.status_code == 403
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert lines, "the refusal should have been logged"
    assert {line["request_id"] for line in lines} == {"trace-0001-abcd"}
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    logging.getLogger("outside").warning("no request")
    last = json.loads(json_log.getvalue().splitlines()[-1])
    assert last["request_id"] == "-"

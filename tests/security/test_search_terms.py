"""Issue 19, finding 9: what staff type into the customer search stays out of access logs,
referrers and pushed browser history (docs/SECURITY.md says why GET was kept)."""

import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse
from gunicorn.config import Config

from accounts.constants import Role
from core.logging import DropQueryStrings

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)
TERM = "Siobhan.OConnor@example.org"


def test_gunicorn_access_log_has_no_query_string_or_referrer():
    from gunicorn.glogging import Logger

    cfg = Config()
    namespace: dict = {}
    exec((ROOT / "config/gunicorn.py").read_text(), namespace)  # noqa: S102 (our own file)
    cfg.set("access_log_format", namespace["access_log_format"])
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/contacts/?q={TERM}",
               "PATH_INFO": "/contacts/", "QUERY_STRING": f"q={TERM}",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.5",
               "HTTP_REFERER": f"https://service.example/contacts/?q={TERM}",
               "HTTP_USER_AGENT": "Firefox"}
    request = SimpleNamespace(headers=[], method="GET", uri=f"/contacts/?q={TERM}",
                              path="/contacts/", query=f"q={TERM}", version=(1, 1))
    response = SimpleNamespace(status="200 OK", headers=[], response_length=10, sent=10)
    atoms = Logger(cfg).atoms(response, request, environ,
                              SimpleNamespace(seconds=0, microseconds=1000))
    line = cfg.access_log_format % atoms
    assert "/contacts/" in line
    assert TERM not in line
    assert "q=" not in line


def test_development_server_request_lines_drop_query_strings():
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s',
                               (f"GET /contacts/?q={TERM} HTTP/1.1", "200", "512"), None)
    assert DropQueryStrings().filter(record)
    assert record.getMessage() == '"GET /contacts/ HTTP/1.1" 200 512'
    assert "no_query_strings" in settings.LOGGING["handlers"]["console"]["filters"]


def test_search_is_not_pushed_into_history_and_sends_no_referrer(client_for, make_user):
    client = client_for(make_user(Role.CASEWORKER))
    url = reverse("contacts:lookup") + f"?q={TERM}"
    page = client.get(url)
    html = page.content.decode()
    assert 'hx-push-url="true"' not in html
    assert "data-search-form" in html  # static/js/app.js replaces the history entry
    assert page["Referrer-Policy"] == "no-referrer"
    partial = client.get(url, headers={"HX-Request": "true"})
    assert "HX-Push-Url" not in partial
    assert partial["Referrer-Policy"] == "no-referrer"
    script = (ROOT / "static/js/app.js").read_text()
    assert "data-search-form" in script
    assert "history.replaceState" in script

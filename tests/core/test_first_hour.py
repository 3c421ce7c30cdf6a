"""First-hour fixes under ``make run`` (issue 25): the 404 page under DEBUG, one-line refusals."""

import logging

import pytest

pytestmark = pytest.mark.django_db


def test_unknown_address_under_debug_shows_the_service_404_not_the_url_list(
        client, settings, make_user):
    settings.DEBUG = True
    client.force_login(make_user("Caseworker"))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Using the URLconf" not in body
    assert "tried these URL patterns" not in body
    assert "Page not found" in body


def test_debug_404_patterns_asks_for_djangos_page(client, settings, make_user):
    settings.DEBUG, settings.DEBUG_404_PATTERNS = True, True
    client.force_login(make_user("Caseworker"))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Using the URLconf" in response.content.decode()


def test_a_refusal_is_logged_as_one_line_without_a_traceback(client, make_user, caplog):
    client.force_login(make_user("Caseworker"))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/audit/")
    assert response.status_code == 403
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert len(refusals) == 1
    assert refusals[0].exc_info is None
    assert "Traceback" not in caplog.text

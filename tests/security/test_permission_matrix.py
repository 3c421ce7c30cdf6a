"""Proof 1 (issue 8): every URL x every role, against the one table in permission_matrix.py.

One organisation and one signed-in client per actor are built once; each URL then runs in a
savepoint that is rolled back, so what one URL's POST changes cannot leak into the next and
the whole walk stays fast enough for CI.
"""

import pytest
from django.db import transaction
from django.test import Client

from tests.otp import verify_client_session
from tests.security.permission_matrix import MATRIX, PUBLIC
from tests.security.urlwalk import project_url_names, url_for
from tests.security.world import ACTORS, World

pytestmark = pytest.mark.django_db

REFUSED = (401, 403, 404)  # 401: the API refuses a session (it takes a key)


def test_every_url_name_is_in_the_matrix():
    """Deny by default: a new URL fails here until someone declares who may use it."""
    missing = [name for name in project_url_names() if name not in MATRIX and name not in PUBLIC]
    assert not missing, f"URL names missing from tests/security/permission_matrix.py: {missing}"
    stale = [name for name in MATRIX if name not in project_url_names()]
    assert not stale, f"matrix names no URL: {stale}"


def _use(client, url):
    """GET the page; a POST-only URL (405 to GET) is POSTed with an empty form."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


def _fresh(base: World) -> World:
    """The same staff, no records yet (records are built lazily inside the savepoint)."""
    world = World.__new__(World)
    world.__dict__.update({name: base.__dict__[name] for name in ACTORS})
    return world


def _check(name, world, clients) -> list[str]:
    rule = MATRIX[name]
    url = url_for(name, rule, world)
    wrong = []
    # refused actors first, so an allowed POST cannot change what they are refused
    ordered = [a for a in ACTORS if a not in rule.allowed] + [
        a for a in ACTORS if a in rule.allowed]
    for actor in ordered:
        status = _use(clients[actor], url).status_code
        if actor in rule.allowed:
            if status in (*REFUSED, 405, 500):
                wrong.append(f"{name}: {actor} may use {url} but got {status}")
        elif actor in rule.redirected:
            if status != 302:
                wrong.append(f"{name}: {actor} should be redirected from {url}, got {status}")
        elif status not in REFUSED:
            wrong.append(f"{name}: {actor} may not use {url} but got {status}")
    return wrong


def test_matrix():
    base = World()
    clients = {}
    for actor in ACTORS:
        clients[actor] = Client()
        clients[actor].force_login(base.actor(actor))
        verify_client_session(clients[actor], base.actor(actor))
    wrong = []
    for name in sorted(MATRIX):
        savepoint = transaction.savepoint()
        try:
            wrong += _check(name, _fresh(base), clients)
        finally:
            transaction.savepoint_rollback(savepoint)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("actor", ACTORS)
def test_django_admin_is_for_superusers_only(actor, client_for):
    """No role opens the Django admin; it is for the superuser account only."""
    world = World()
    response = client_for(world.actor(actor)).get("/admin/")
    if actor == "superuser":
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 403)

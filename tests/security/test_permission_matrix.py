"""Proof 1 (issue 8): every URL x every role, against the one table in permission_matrix.py."""

import pytest

from tests.security.permission_matrix import MATRIX, PUBLIC
from tests.security.urlwalk import project_url_names, url_for
from tests.security.world import ACTORS, World

pytestmark = pytest.mark.django_db

REFUSED = (403, 404)


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


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(name, client_for):
    rule = MATRIX[name]
    world = World()
    url = url_for(name, rule, world)
    wrong = []
    # refused actors first, so an allowed POST cannot change what they are refused
    ordered = [a for a in ACTORS if a not in rule.allowed] + [a for a in ACTORS
                                                              if a in rule.allowed]
    for actor in ordered:
        response = _use(client_for(world.actor(actor)), url)
        if actor in rule.allowed:
            if response.status_code in (*REFUSED, 405, 500):
                wrong.append(f"{actor} may use {url} but got {response.status_code}")
        elif actor in rule.redirected:
            if response.status_code != 302:
                wrong.append(f"{actor} should be redirected from {url}, got "
                             f"{response.status_code}")
        elif response.status_code not in REFUSED:
            wrong.append(f"{actor} may not use {url} but got {response.status_code}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("actor", ACTORS)
def test_django_admin_is_for_superusers_only(actor, client_for):
    """No role opens the Django admin; it is for the superuser account only."""
    world = World()
    response = client_for(world.actor(actor)).get("/admin/")
    assert response.status_code in (302, 403)

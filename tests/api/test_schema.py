"""The OpenAPI schema: the file checked in is what the server generates (drift test), and it
is served to clients and signed-in staff only."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from accounts.constants import Role
from api.views_schema import schema_dict

pytestmark = pytest.mark.django_db
SCHEMA_FILE = Path(settings.BASE_DIR) / "docs" / "api" / "openapi.yaml"


def test_checked_in_schema_matches_the_code():
    """Regenerate with: python manage.py spectacular --file docs/api/openapi.yaml --validate"""
    on_file = yaml.safe_load(SCHEMA_FILE.read_text())
    generated = yaml.safe_load(yaml.dump(schema_dict()))  # normalise the same way
    assert on_file == generated, (
        "docs/api/openapi.yaml is out of date: run "
        "`python manage.py spectacular --file docs/api/openapi.yaml --validate` and commit it")


def test_schema_lists_every_endpoint_with_its_scope():
    paths = schema_dict()["paths"]
    assert "/api/v1/callers" in paths
    assert "/api/v1/calls/events" in paths
    assert paths["/api/v1/calls/events"]["post"]["tags"] == ["calls"]


def test_schema_for_a_client_key(api):
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"openapi: 3" in response.content


def test_schema_refused_to_anonymous(api_for):
    assert api_for(None).get("/api/v1/schema/").status_code in (401, 403)


def test_docs_page_for_signed_in_staff(client_for, make_user):
    response = client_for(make_user(Role.CASEWORKER)).get("/integrations/api-docs/")
    assert response.status_code == 200
    assert b"/api/v1/callers" in response.content
    assert client_for(make_user(Role.CASEWORKER)).get("/api/v1/schema/").status_code == 200


def test_docs_page_not_for_anonymous(client):
    response = client.get("/integrations/api-docs/")
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]

"""Fixtures for the integration API: an Administrator, system clients with chosen scopes,
and a DRF test client that sends a client's key."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from rest_framework.test import APIClient

from accounts.constants import Role
from api import services
from api.constants import ClientKind, Scope
from tests.accounts.factories import DepartmentFactory, UserFactory


@pytest.fixture(autouse=True)
def _role_groups(db):
    for name in Role.values:  # a transactional test elsewhere may have flushed them
        Group.objects.get_or_create(name=name)


@pytest.fixture
def requester(db):
    """Who requested and decided a restriction made by the factories: ``**requester``."""
    department = DepartmentFactory()
    head = UserFactory(roles=[Role.HEAD_OF_DEPARTMENT], department=department)
    department.head = head  # 7.2, 12.1: the department's recorded Head decides and reviews
    department.save(update_fields=["head"])
    return {"requested_by": UserFactory(roles=[Role.LINE_MANAGER], department=department),
            "decided_by": head}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    caches["api"].clear()
    yield
    caches["api"].clear()


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin_api", roles=[Role.ADMINISTRATOR])


@pytest.fixture
def make_client(administrator):
    """``make_client(scopes=[...])`` -> (SystemClient, key)."""
    counter = iter(range(1000))

    def _make(scopes=tuple(Scope.values), kind=ClientKind.TELEPHONY, **kwargs):
        return services.client_register(actor=administrator, name=f"System {next(counter)}",
                                        kind=kind, scopes=list(scopes), **kwargs)

    return _make


@pytest.fixture
def api_for():
    """``api_for(key)`` -> an APIClient sending ``Authorization: Bearer <key>``."""

    def _client(key: str | None) -> APIClient:
        client = APIClient()
        if key:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    return _client


@pytest.fixture
def full_client(make_client):
    return make_client()


@pytest.fixture
def api(full_client, api_for):
    return api_for(full_client[1])

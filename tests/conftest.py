"""Shared fixtures: fast password hashing, users by role, signed-in clients."""

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.otp import verify_client_session


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db):
    """Build a user with roles: ``make_user("Caseworker", line_manager=manager)``."""

    def _make(*roles: str, **kwargs):
        return UserFactory(roles=roles, **kwargs)

    return _make


@pytest.fixture
def client_for():
    """A test client signed in as ``user`` (two-factor verified where the role needs it)."""

    def _client(user) -> Client:
        client = Client()
        client.force_login(user)
        verify_client_session(client, user)
        return client

    return _client

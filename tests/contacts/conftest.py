"""Shared fixtures for contacts: a small team (manager, caseworker) and a customer."""

import pytest

from accounts.constants import Role
from tests.contacts.factories import CaseReferenceFactory


@pytest.fixture
def manager(make_user):
    return make_user(Role.LINE_MANAGER, username="lm", first_name="Morgan", last_name="Reid")


@pytest.fixture
def caseworker(make_user, manager):
    return make_user(Role.CASEWORKER, username="cw", line_manager=manager)


@pytest.fixture
def other_caseworker(make_user):
    return make_user(Role.CASEWORKER, username="cw-other")


@pytest.fixture
def case(db):
    return CaseReferenceFactory(reference="RFA0123456")

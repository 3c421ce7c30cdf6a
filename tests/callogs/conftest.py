"""A team: head -> senior -> manager -> caseworker, caseworker2; another team elsewhere."""

from types import SimpleNamespace

import pytest

from accounts.constants import Role


@pytest.fixture
def team(make_user):
    t = SimpleNamespace()
    t.head = make_user(Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER)
    t.senior = make_user(Role.SENIOR_STAFF, Role.LINE_MANAGER, line_manager=t.head)
    t.manager = make_user(Role.LINE_MANAGER, line_manager=t.senior)
    t.caseworker = make_user(Role.CASEWORKER, line_manager=t.manager,
                             first_name="Casey", last_name="Walsh")
    t.caseworker2 = make_user(Role.CASEWORKER, line_manager=t.manager)
    t.other_manager = make_user(Role.LINE_MANAGER)
    t.other_caseworker = make_user(Role.CASEWORKER, line_manager=t.other_manager)
    return t

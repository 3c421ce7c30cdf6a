"""How a member of staff is shown (``staff_name``, ``str(user)``)."""

import pytest

from accounts.models import User, staff_name


@pytest.mark.parametrize(("first", "last", "shown"), [
    ("Sam", "Okafor", "Sam Okafor"), ("Sam", "", "Sam"), ("", "Okafor", "Okafor"),
    ("", "", "sokafor"), (None, None, "sokafor")])
def test_staff_are_shown_by_full_name_else_username_from_columns_or_the_user(first, last,
                                                                              shown):
    assert staff_name(first, last, "sokafor") == shown
    user = User(first_name=first or "", last_name=last or "", username="sokafor")
    assert str(user) == shown == (user.get_full_name() or user.username)

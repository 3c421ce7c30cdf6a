"""Postal addresses: postcodes tidied and split off the address lines (letters go to it)."""

import pytest

from contacts.postal import is_uk_postcode, postcode_tidy, split_postcode
from tests.contacts.factories import CustomerFactory


@pytest.mark.parametrize(("typed", "tidy"), [
    ("sw1a2aa", "SW1A 2AA"), (" m1  1aa ", "M1 1AA"), ("CF10 1EP", "CF10 1EP"),
    ("ec1a 1bb", "EC1A 1BB"), ("75008", "75008"), ("", ""),
])
def test_postcodes_are_tidied_and_others_kept(typed, tidy):
    assert postcode_tidy(typed) == tidy


def test_only_uk_shaped_postcodes_are_recognised():
    assert is_uk_postcode("ll57 2pw")
    assert not is_uk_postcode("Bangor")
    assert not is_uk_postcode("12345")


def test_a_postcode_on_the_last_line_is_split_off():
    assert split_postcode("1 High St\n Bangor \nll57 2pw\n") == ("1 High St\nBangor", "LL57 2PW")
    assert split_postcode("1 High St\nBangor") == ("1 High St\nBangor", "")


@pytest.mark.django_db
def test_the_postal_address_ends_with_the_postcode():
    customer = CustomerFactory(address="1 High St\n\nBangor", postcode="LL57 2PW")
    assert customer.postal_address_lines == ["1 High St", "Bangor", "LL57 2PW"]
    assert customer.postal_address == "1 High St\nBangor\nLL57 2PW"
    assert customer.preferred_language == "en"
    assert customer.preferred_channel == ""

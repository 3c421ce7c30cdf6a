"""A very long name still saves: its sounds-like keys fit their columns (found by the stored
XSS walk, which writes 100-character payloads into names)."""

import pytest

from contacts.names import SOUND_KEY_LENGTH, sound_keys
from tests.contacts.factories import CustomerFactory


def test_sound_keys_fit_their_columns():
    primary, alternate = sound_keys("Brackenbury" * 20)
    assert 0 < len(primary) <= SOUND_KEY_LENGTH
    assert len(alternate) <= SOUND_KEY_LENGTH


@pytest.mark.django_db
def test_a_customer_with_a_very_long_name_is_saved():
    customer = CustomerFactory(given_name="Ottoline" * 12, family_name="Brackenbury" * 9)
    customer.refresh_from_db()
    assert len(customer.sound_family) <= SOUND_KEY_LENGTH

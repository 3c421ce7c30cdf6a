"""Phone numbers through phonenumbers: E.164 keys, validation, and a lookup that finds a
number however it is typed (issue 16)."""

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from contacts.models import CustomerPhone
from contacts.normalise import normalise_phone, phone_lookup_digits, phone_validate
from contacts.selectors import classify_query, customer_lookup
from tests.contacts.factories import CustomerFactory, CustomerPhoneFactory

TYPED = [
    "07700 900123", "07700900123", "+44 7700 900123", "+447700900123", "+44 (0)7700 900123",
    "0044 7700 900123", "00 44 7700 900 123", "(07700) 900-123", "07700.900.123",
    "7700 900123", "447700900123", "tel:+44-7700-900123",
]


@pytest.mark.parametrize("typed", TYPED)
def test_every_way_of_writing_a_uk_number_has_one_e164_key(typed):
    assert normalise_phone(typed) == "+447700900123"


@pytest.mark.django_db
@pytest.mark.parametrize("typed", TYPED)
def test_the_lookup_finds_a_number_however_it_is_typed(typed):
    customer = CustomerFactory()
    CustomerPhoneFactory(customer=customer, number="07700 900123")
    CustomerPhoneFactory(number="07700 900124")
    assert classify_query(typed) == "phone"
    assert customer_lookup(typed).customers == [customer]


@pytest.mark.django_db
def test_the_last_digits_still_find_a_number():
    customer = CustomerFactory()
    CustomerPhoneFactory(customer=customer, number="+44 (0)7700 900123")
    for query in ("900123", "0123", "00123"):
        assert customer_lookup(query).customers == [customer], query


@pytest.mark.django_db
def test_international_numbers_keep_their_country():
    irish = CustomerFactory()
    CustomerPhoneFactory(customer=irish, number="+353 1 234 5678")
    assert CustomerPhone.objects.get(customer=irish).number_normalised == "+35312345678"
    assert customer_lookup("00353 1 234 5678").customers == [irish]
    # The same national digits in the UK are somebody else's number.
    assert customer_lookup("01 234 5678").customers == []


def test_validation_formats_uk_numbers_nationally_and_others_internationally():
    assert phone_validate("+44 20 7946 0000") == ("020 7946 0000", "+442079460000")
    assert phone_validate("+1 202 555 0143") == ("+1 202-555-0143", "+12025550143")
    assert phone_validate("07700 900123") == ("07700 900123", "+447700900123")


@pytest.mark.parametrize("bad", ["", "phone me", "0123", "07700 9001", "+44 1234",
                                 "99999999999999"])
def test_validation_refuses_what_is_not_a_whole_number(bad):
    with pytest.raises(ValidationError, match="Enter a phone number"):
        phone_validate(bad)


def test_a_fragment_is_looked_up_by_its_digits_and_a_whole_number_by_its_e164():
    assert phone_lookup_digits("900 123") == "900123"
    assert phone_lookup_digits("020 7946 0000") == "442079460000"


# Every way phonenumbers itself can write a number, and the forms people and other
# systems add ("00 44 ...", no leading 0, the international form from abroad).
FORMATS = [
    lambda n: phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164),
    lambda n: phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
    lambda n: phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.NATIONAL),
    lambda n: phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.RFC3966),
    lambda n: phonenumbers.format_out_of_country_calling_number(n, "FR"),
    lambda n: phonenumbers.format_out_of_country_calling_number(n, "DE"),
    lambda n: phonenumbers.national_significant_number(n),
    lambda n: "+44 (0)" + phonenumbers.format_number(
        n, phonenumbers.PhoneNumberFormat.NATIONAL)[1:],
]


@st.composite
def valid_uk_numbers(draw):
    digits = draw(st.from_regex(r"\A[1-37-9]\d{9}\Z", fullmatch=True))
    number = phonenumbers.parse("+44" + digits)
    assume(phonenumbers.is_valid_number(number))
    return number


@pytest.mark.django_db
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
@given(number=valid_uk_numbers(), stored=st.sampled_from(FORMATS),
       typed=st.sampled_from(FORMATS))
def test_any_valid_uk_number_in_any_format_is_found(number, stored, typed):
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    CustomerPhone.objects.filter(number_normalised=e164).delete()
    customer = CustomerFactory()
    CustomerPhoneFactory(customer=customer, number=stored(number))
    assert customer in customer_lookup(typed(number)).customers

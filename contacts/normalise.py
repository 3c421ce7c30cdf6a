"""Normalising search keys: phone numbers through ``phonenumbers`` (E.164), emails.

Phone numbers are parsed with the UK as the default region, so ``07700 900123``,
``+44 (0)7700 900123``, ``0044 7700 900123``, ``(07700) 900-123`` and ``7700900123`` are all
``+447700900123``; an international number keeps its own country code. What cannot be
parsed as a number of a possible length is kept as its digits, so a lookup by the last
digits of a number still works.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError

DEFAULT_REGION = "GB"
_NON_DIGITS = re.compile(r"\D")

# Ofcom keeps these ranges for drama and examples: nobody's real number, so the demo data,
# the documentation and the tests use them. ``phonenumbers`` calls them invalid (correctly,
# nobody can be called on them); we accept them as if they were valid.
OFCOM_DRAMA_PREFIXES = (
    "+447700900", "+441134960", "+441144960", "+441154960", "+441164960", "+441174960",
    "+441184960", "+441214960", "+441314960", "+441414960", "+441514960", "+441614960",
    "+442079460", "+441914980", "+442890180", "+442920180", "+441632960", "+443069990",
    "+448081570", "+449098790",
)

PHONE_FORMAT_HELP = "like 01632 960 001, 07700 900 982 or +44 808 157 0192"


def _parse(text: str) -> phonenumbers.PhoneNumber | None:
    text = (text or "").strip()
    if text.lower().startswith("tel:"):  # RFC 3966, as a telephony system may pass it
        text = text[4:]
    if not _NON_DIGITS.sub("", text):
        return None
    try:
        return phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _is_full(number: phonenumbers.PhoneNumber) -> bool:
    """A whole number (not a fragment): possible for its country, and for the UK the full
    ten digits after the 0 (or nine for the few short ranges phonenumbers knows)."""
    if not phonenumbers.is_possible_number(number):
        return False
    if number.country_code == 44:
        return len(phonenumbers.national_significant_number(number)) >= 9
    return True


def is_acceptable(number: phonenumbers.PhoneNumber) -> bool:
    """A number we can call: valid for its country, or in a range kept for drama."""
    return phonenumbers.is_valid_number(number) or _e164(number).startswith(
        OFCOM_DRAMA_PREFIXES)


def normalise_phone(text: str) -> str:
    """The stored search key: E.164 for any whole number (``+447700900123``), else digits."""
    number = _parse(text)
    if number is not None and _is_full(number):
        return _e164(number)
    return _NON_DIGITS.sub("", text or "")


def phone_validate(text: str) -> tuple[str, str]:
    """A number typed on a form or in a file: ``(as shown, E.164)``, or ``ValidationError``.

    UK numbers are shown in their national format (``07700 900123``), others in the
    international format (``+353 1 234 5678``)."""
    number = _parse(text)
    if number is None or not _is_full(number) or not is_acceptable(number):
        raise ValidationError(
            f"Enter a phone number {PHONE_FORMAT_HELP}", code="invalid_phone")
    style = (phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 44
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, style), _e164(number)


def phone_lookup_digits(query: str) -> str:
    """The digits a lookup matches the end of stored numbers with: the whole number's
    (country code included) when the query is a whole number, else the digits typed."""
    number = _parse(query)
    if number is not None and _is_full(number):
        return _e164(number).lstrip("+")
    return _NON_DIGITS.sub("", query or "")


def normalise_email(text: str) -> str:
    return (text or "").strip().lower()

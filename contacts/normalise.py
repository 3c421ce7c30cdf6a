"""Normalising search keys: phone numbers in any format, emails, case references."""

import re

_NON_DIGITS = re.compile(r"\D")


def normalise_phone(number: str) -> str:
    """UK numbers to their national form: ``+44 (0)7700 900123`` -> ``07700900123``."""
    raw = number.strip()
    digits = _NON_DIGITS.sub("", raw)
    if raw.startswith("+") or raw.startswith("00"):
        digits = digits[2:] if raw.startswith("00") else digits
        if digits.startswith("44"):
            digits = digits[2:]
            if digits.startswith("0"):  # "+44 (0)7700..." keeps a stray trunk zero
                digits = digits[1:]
            return "0" + digits
        return "+" + digits
    return digits

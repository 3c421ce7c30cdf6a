"""UK postcodes: recognising and tidying them, and splitting one off an address's last line."""

import re

# The shape of a UK postcode (outward code, space, inward code), e.g. "M1 1AA", "SW1A 2AA".
_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$")


def postcode_tidy(text: str) -> str:
    """``" sw1a2aa "`` -> ``"SW1A 2AA"``; anything not shaped like a UK postcode is kept as
    typed (upper case, single spaces): addresses abroad have their own formats."""
    text = " ".join((text or "").upper().split())
    match = _POSTCODE.match(text)
    return f"{match[1]} {match[2]}" if match else text


def is_uk_postcode(text: str) -> bool:
    return bool(_POSTCODE.match(" ".join((text or "").upper().split())))


def split_postcode(address: str) -> tuple[str, str]:
    """An address typed as lines with the postcode last: ``(lines, postcode)``; the postcode
    is ``""`` when the last line is not one."""
    lines = [line.strip() for line in (address or "").splitlines() if line.strip()]
    if lines and is_uk_postcode(lines[-1]):
        return "\n".join(lines[:-1]), postcode_tidy(lines[-1])
    return "\n".join(lines), ""

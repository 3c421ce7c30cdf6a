"""What documents read from a customer record: the one place that knows its field names.

The customers issue (16) adds ``postal_address_lines`` and ``preferred_language``; until it
has landed everywhere this reads them defensively, falling back to ``address`` and English.
"""

from documents.constants import DocumentLanguage


def address_lines(customer) -> list[str]:
    if customer is None:
        return []
    lines = getattr(customer, "postal_address_lines", None)
    if lines is None:
        lines = [line.strip() for line in (customer.address or "").splitlines() if line.strip()]
    return list(lines)


def preferred_language(customer) -> str:
    """The customer's language for letters: ``"en"`` or ``"cy"``."""
    value = getattr(customer, "preferred_language", "") or DocumentLanguage.ENGLISH
    return value if value in (DocumentLanguage.ENGLISH, DocumentLanguage.WELSH) else "en"


def frozen(customer) -> dict:
    """The customer as a letter shows them, frozen at issue."""
    if customer is None:
        return {"name": "", "reference": "", "address_lines": []}
    return {"name": customer.full_name, "reference": customer.reference,
            "address_lines": address_lines(customer)}

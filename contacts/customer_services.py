"""Writes for customers as records the front-line staff create and keep (issue 16).

``customer_create`` and ``customer_update`` are the only ways to make or change a customer's
details (names, phones, emails, postal address, case references, preferred language and
channel); pages, the API, the import and tests all call them. Each checks who may act,
validates every field (``ValidationError`` keyed by field, plain English), writes inside one
transaction and records the audit row with each changed field's before and after.

Who may act: caseworkers and managers (line manager, senior staff, Head of Department),
the staff who take contacts (12.3 "any member of staff" handles the customer; the
customer is theirs to keep). The role is checked itself: a Django superuser without one
of those roles is refused like anyone else.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction

from accounts.rules import is_caseworker, is_manager
from audit.services import audit_record
from contacts.constants import Language, PreferredChannel
from contacts.models import CaseReference, Contact, Customer, CustomerEmail, CustomerPhone
from contacts.normalise import normalise_email, phone_validate
from contacts.postal import postcode_tidy
from core import extensions

CASE_REFERENCE = re.compile(r"^[A-Z]{3}\d{7}$")

# The customer's own columns a create or update may set, in the order forms show them.
DETAIL_FIELDS = ("given_name", "family_name", "preferred_name", "address", "postcode",
                 "preferred_language", "preferred_channel", "communication_needs")
LIST_FIELDS = ("phones", "emails", "case_references")

_UNSET: Any = object()


def may_keep_customers(actor) -> bool:
    """Caseworkers and managers create and edit customers (no superuser exemption); so does
    a case-management system the api app has given the "cases" scope (issue 20 upserts)."""
    if extensions.system_actor_may(actor, "customers"):
        return True
    return bool(getattr(actor, "is_active", False)) and (
        is_caseworker.test(actor) or is_manager.test(actor))


def _require_keeper(actor) -> None:
    if not may_keep_customers(actor):
        raise PermissionDenied(
            "Only caseworkers and managers can add or change a customer's details.")


@dataclass(frozen=True)
class CleanDetails:
    values: dict[str, str]
    phones: list[tuple[str, str]] | None  # (as shown, E.164)
    emails: list[str] | None
    case_references: list[str] | None


def _text(value: str | None, limit: int, field: str, label: str,
          errors: dict[str, list[str]]) -> str:
    value = " ".join((value or "").split()) if field != "address" else "\n".join(
        line.strip() for line in (value or "").splitlines() if line.strip())
    if len(value) > limit:
        errors.setdefault(field, []).append(f"{label} must be {limit} characters or fewer")
    return value


def _clean_phones(values: Iterable[str], errors: dict) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for position, typed in enumerate(v for v in values if (v or "").strip()):
        try:
            shown, e164 = phone_validate(typed)
        except ValidationError:
            errors.setdefault("phones", []).append(
                f"Phone number {position + 1} ({typed.strip()[:40]}) is not a phone number: "
                "enter it like 01632 960 001, 07700 900 982 or +44 808 157 0192")
            continue
        seen.setdefault(e164, shown)
    return [(shown, e164) for e164, shown in seen.items()]


def _clean_emails(values: Iterable[str], errors: dict) -> list[str]:
    seen: dict[str, str] = {}
    for position, typed in enumerate(v for v in values if (v or "").strip()):
        email = typed.strip()
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("emails", []).append(
                f"Email address {position + 1} ({email[:60]}) is not an email address: "
                "enter it like name@example.com")
            continue
        seen.setdefault(normalise_email(email), email)
    return list(seen.values())


def _clean_cases(values: Iterable[str], errors: dict) -> list[str]:
    seen: list[str] = []
    for typed in (v for v in values if (v or "").strip()):
        ref = re.sub(r"\s+", "", typed).upper()
        if not CASE_REFERENCE.match(ref):
            errors.setdefault("case_references", []).append(
                f"Case reference {typed.strip()[:20]} is not in the case management "
                "system's format: three letters and seven digits, like RFA0123456")
        elif ref not in seen:
            seen.append(ref)
    return seen


def _clean(given: dict[str, Any]) -> CleanDetails:
    """Every given field tidied and checked; all the errors at once, keyed by field."""
    errors: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    labels = {"given_name": "First name", "family_name": "Last name",
              "preferred_name": "The name they prefer", "address": "The address",
              "communication_needs": "Communication needs"}
    limits = {"given_name": 100, "family_name": 100, "preferred_name": 100,
              "address": 1000, "communication_needs": 5000}
    for name, label in labels.items():
        if given.get(name, _UNSET) is not _UNSET:
            values[name] = _text(given[name], limits[name], name, label, errors)
    if given.get("postcode", _UNSET) is not _UNSET:
        values["postcode"] = postcode_tidy(given["postcode"])
        if len(values["postcode"]) > 10:
            errors.setdefault("postcode", []).append("Enter a postcode of 10 characters or "
                                                     "fewer, like SW1A 2AA")
    if given.get("preferred_language", _UNSET) is not _UNSET:
        values["preferred_language"] = given["preferred_language"] or Language.ENGLISH
        if values["preferred_language"] not in Language.values:
            errors.setdefault("preferred_language", []).append("Select English or Welsh")
    if given.get("preferred_channel", _UNSET) is not _UNSET:
        values["preferred_channel"] = given["preferred_channel"] or ""
        if values["preferred_channel"] not in ("", *PreferredChannel.values):
            errors.setdefault("preferred_channel", []).append(
                "Select how they prefer us to contact them")
    phones = emails = cases = None
    if given.get("phones", _UNSET) is not _UNSET:
        phones = _clean_phones(given["phones"], errors)
    if given.get("emails", _UNSET) is not _UNSET:
        emails = _clean_emails(given["emails"], errors)
    if given.get("case_references", _UNSET) is not _UNSET:
        cases = _clean_cases(given["case_references"], errors)
    if errors:
        raise ValidationError(errors)
    return CleanDetails(values=values, phones=phones, emails=emails, case_references=cases)


def _require_a_name(customer: Customer) -> None:
    if not (customer.given_name or customer.family_name):
        raise ValidationError({"family_name": "Enter the customer's first name or last name"})


def _check_preferred_channel(customer: Customer, phones: list, emails: list) -> None:
    """A preference we could not follow is refused: there must be the detail to use it."""
    channel = customer.preferred_channel
    missing = {PreferredChannel.PHONE: (not phones, "a phone number"),
               PreferredChannel.EMAIL: (not emails, "an email address"),
               PreferredChannel.LETTER: (not customer.address, "a postal address")}
    if channel in missing and missing[channel][0]:
        raise ValidationError({"preferred_channel": (
            f"Add {missing[channel][1]} to record that they prefer "
            f"{PreferredChannel(channel).label.lower()}")})


def _sync_phones(customer: Customer, phones: list[tuple[str, str]]) -> list[list[str]] | None:
    """Replace the customer's phones; ``[before, after]`` (as shown) if anything changed."""
    current = {p.number_normalised: p for p in customer.phones.all()}
    before = [p.number for p in current.values()]
    wanted = {e164: shown for shown, e164 in phones}
    stale = [p.pk for key, p in current.items() if key not in wanted]
    CustomerPhone.objects.filter(pk__in=stale).delete()
    for e164, shown in wanted.items():
        if e164 not in current:
            CustomerPhone(customer=customer, number=shown).save()
    after = [shown for shown, _ in phones]
    return [before, after] if sorted(current) != sorted(wanted) else None


def _sync_emails(customer: Customer, emails: list[str]) -> list[list[str]] | None:
    current = {e.email_normalised: e for e in customer.emails.all()}
    before = [e.email for e in current.values()]
    wanted = {normalise_email(e): e for e in emails}
    CustomerEmail.objects.filter(pk__in=[e.pk for k, e in current.items()
                                         if k not in wanted]).delete()
    for key, email in wanted.items():
        if key not in current:
            CustomerEmail(customer=customer, email=email).save()
    return [before, emails] if sorted(current) != sorted(wanted) else None


def _sync_cases(customer: Customer, refs: list[str]) -> list[list[str]] | None:
    """Add and remove case references; one belonging to someone else, or one with contacts
    logged against it, is refused with what to do instead."""
    current = {c.reference: c for c in customer.case_references.all()}
    taken = list(CaseReference.objects.filter(reference__in=[r for r in refs
                                                             if r not in current])
                 .values_list("reference", flat=True))
    if taken:
        raise ValidationError({"case_references": [
            f"Case {ref} is already on another customer's record. If they are the same "
            "person, ask a line manager to merge the two records." for ref in taken]})
    removed = [c for ref, c in current.items() if ref not in refs]
    used = set(Contact.objects.filter(case_reference__in=removed)
               .values_list("case_reference__reference", flat=True))
    if used:
        raise ValidationError({"case_references": [
            f"Case {ref} has contacts logged against it, so it stays on the record."
            for ref in sorted(used)]})
    CaseReference.objects.filter(pk__in=[c.pk for c in removed]).delete()
    for ref in refs:
        if ref not in current:
            CaseReference.objects.create(reference=ref, customer=customer)
    return [sorted(current), refs] if sorted(current) != sorted(refs) else None


def _write_lists(customer: Customer, clean: CleanDetails, changes: dict) -> None:
    for name, sync, value in (("phones", _sync_phones, clean.phones),
                              ("emails", _sync_emails, clean.emails),
                              ("case_references", _sync_cases, clean.case_references)):
        if value is not None and (change := sync(customer, value)) is not None:
            changes[name] = change


def customer_create(
    *,
    actor,
    given_name: str = "",
    family_name: str = "",
    preferred_name: str = "",
    address: str = "",
    postcode: str = "",
    preferred_language: str = Language.ENGLISH,
    preferred_channel: str = "",
    communication_needs: str = "",
    phones: Iterable[str] = (),
    emails: Iterable[str] = (),
    case_references: Iterable[str] = (),
) -> Customer:
    """Make a customer record with their details (issue 16); audited field by field."""
    _require_keeper(actor)
    return _create(actor=actor, given={
        "given_name": given_name, "family_name": family_name,
        "preferred_name": preferred_name, "address": address, "postcode": postcode,
        "preferred_language": preferred_language, "preferred_channel": preferred_channel,
        "communication_needs": communication_needs, "phones": list(phones),
        "emails": list(emails), "case_references": list(case_references),
    })


def _create(*, actor, given: dict, action: str = "customer.created", register_key=None,
            note: dict | None = None) -> Customer:
    """Create after the caller has checked who may act (the staff, or an import)."""
    clean = _clean(given)
    customer = Customer(**clean.values, register_key=register_key)
    _require_a_name(customer)
    _check_preferred_channel(customer, clean.phones or [], clean.emails or [])
    with transaction.atomic():
        customer.save()
        changes = {name: [None, value] for name, value in clean.values.items() if value}
        _write_lists(customer, clean, changes)
        audit_record(actor=actor, action=action, target=customer,
                     changes={**changes, **(note or {})})
    return customer


def customer_update(
    *,
    actor,
    customer: Customer,
    given_name: str = _UNSET,
    family_name: str = _UNSET,
    preferred_name: str = _UNSET,
    address: str = _UNSET,
    postcode: str = _UNSET,
    preferred_language: str = _UNSET,
    preferred_channel: str = _UNSET,
    communication_needs: str = _UNSET,
    phones: Iterable[str] = _UNSET,
    emails: Iterable[str] = _UNSET,
    case_references: Iterable[str] = _UNSET,
) -> Customer:
    """Change the given details only (a list given replaces that list); audited with each
    changed field's before and after. Nothing changed writes nothing."""
    _require_keeper(actor)
    return _update(actor=actor, customer=customer, given={
             "given_name": given_name, "family_name": family_name,
             "preferred_name": preferred_name, "address": address, "postcode": postcode,
             "preferred_language": preferred_language, "preferred_channel": preferred_channel,
             "communication_needs": communication_needs,
             "phones": list(phones) if phones is not _UNSET else _UNSET,
             "emails": list(emails) if emails is not _UNSET else _UNSET,
             "case_references": (list(case_references) if case_references is not _UNSET
                                 else _UNSET)})[0]


def _update(*, actor, customer: Customer, given: dict, action: str = "customer.updated",
            note: dict | None = None) -> tuple[Customer, dict]:
    """Update after the caller has checked who may act (the staff, or an import)."""
    clean = _clean(given)
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        customer_require_current(customer)
        before = {name: getattr(customer, name) for name in DETAIL_FIELDS}
        for name, value in clean.values.items():
            setattr(customer, name, value)
        _require_a_name(customer)
        phones_after = (clean.phones if clean.phones is not None
                        else list(customer.phones.values_list("number", "number_normalised")))
        emails_after = (clean.emails if clean.emails is not None
                        else list(customer.emails.values_list("email", flat=True)))
        _check_preferred_channel(customer, phones_after, emails_after)
        changes = {name: [before[name], getattr(customer, name)] for name in DETAIL_FIELDS
                   if before[name] != getattr(customer, name)}
        if changes:
            customer.save(update_fields=list(changes))
        _write_lists(customer, clean, changes)
        if changes:
            audit_record(actor=actor, action=action, target=customer,
                         changes={**changes, **(note or {})})
    return customer, changes


def customer_require_current(customer: Customer) -> None:
    """A record merged into another is kept only to redirect: its details are not edited."""
    if getattr(customer, "merged_into_id", None):
        raise ValidationError(
            "This record was merged into another customer's record; change that one.")

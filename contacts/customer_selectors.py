"""Reads for keeping customer records: likely duplicates before a save (issue 16)."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, Value

from contacts.models import Customer, CustomerEmail, CustomerPhone
from contacts.names import fold_name, sound_keys
from contacts.normalise import normalise_email, normalise_phone

DUPLICATES_SHOWN = 5


class _TrigramSimilar(Func):
    """``column % 'text'`` (pg_trgm, served by the GIN trigram index on the column)."""

    arg_joiner = " %% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _similar(column: str, text: str) -> Q:
    return Q(_TrigramSimilar(F(column), Value(text)))


@dataclass
class LikelyDuplicate:
    customer: Customer
    reasons: list[str]


def _similar_name(given_name: str, family_name: str) -> Q | None:
    """Same or close family name (trigram similarity on PostgreSQL, the folded key or the
    sound elsewhere), and a given name that agrees where both are known."""
    family = fold_name(family_name)
    if not family:
        return None
    codes = [c for c in sound_keys(family_name) if c]
    close = Q(search_family=family)
    if codes:
        close |= Q(sound_family__in=codes) | Q(sound_family_alt__in=codes)
    if connection.vendor == "postgresql":
        close |= _similar("search_family", family)
    given = fold_name(given_name)
    if not given:
        return close
    given_codes = [c for c in sound_keys(given_name) if c]
    agrees = Q(search_given="") | Q(search_given__startswith=given)
    if given_codes:
        agrees |= Q(sound_given__in=given_codes) | Q(sound_given_alt__in=given_codes)
    if connection.vendor == "postgresql":
        agrees |= _similar("search_given", given)
    return close & agrees


def likely_duplicates(*, given_name: str = "", family_name: str = "", phones=(), emails=(),
                      exclude_pk: int | None = None) -> list[LikelyDuplicate]:
    """Customers who may be the person being added: the same phone number (E.164) or email,
    or a close name. At most ``DUPLICATES_SHOWN``, same number or email first."""
    phone_keys = [k for k in (normalise_phone(p) for p in phones if (p or "").strip())
                  if k.startswith("+")]
    email_keys = [normalise_email(e) for e in emails if (e or "").strip()]
    reasons: dict[int, list[str]] = {}
    if phone_keys:
        for pk in (CustomerPhone.objects.filter(number_normalised__in=phone_keys)
                   .values_list("customer_id", flat=True)[:DUPLICATES_SHOWN * 2]):
            reasons.setdefault(pk, []).append("the same phone number")
    if email_keys:
        for pk in (CustomerEmail.objects.filter(email_normalised__in=email_keys)
                   .values_list("customer_id", flat=True)[:DUPLICATES_SHOWN * 2]):
            reasons.setdefault(pk, []).append("the same email address")
    name = _similar_name(given_name, family_name)
    if name is not None and len(reasons) < DUPLICATES_SHOWN:
        for pk in (Customer.objects.filter(name).exclude(pk__in=list(reasons))
                   .order_by().values_list("pk", flat=True)[:DUPLICATES_SHOWN]):
            reasons.setdefault(pk, []).append("a similar name")
    reasons.pop(exclude_pk, None)
    ids = list(reasons)[:DUPLICATES_SHOWN]
    customers = Customer.objects.in_bulk(ids)
    for merged in [pk for pk, c in customers.items() if getattr(c, "merged_into_id", None)]:
        customers.pop(merged)
    return [LikelyDuplicate(customer=customers[pk], reasons=sorted(set(reasons[pk])))
            for pk in ids if pk in customers]

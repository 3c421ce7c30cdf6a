"""Row generators and COPY writers behind ``manage.py seed_bench``.

Each table is written with ``COPY ... FROM STDIN`` through psycopg 3, with explicit ids
after the current maximum. Columns this module does not set get the model field's default,
so a new field with a default does not break seeding.
"""

import datetime as dt
import json
import os
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, models
from django.utils import timezone

from accounts.models import Department, User
from contacts.constants import Behaviour, Channel, Direction
from contacts.models import (
    BehaviourChange,
    CaseReference,
    Contact,
    Customer,
    CustomerEmail,
    CustomerPhone,
)
from contacts.names import search_keys
from contacts.normalise import normalise_phone
from core.bench.names import FAMILY, GIVEN

BATCH = 20_000
CASES_PER_CUSTOMER = 2
HOT_CUSTOMER_CONTACTS = 200  # the first seeded customer: the "customer with 200 contacts"
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass
class Plan:
    customers: int
    contacts: int
    staff: int
    rng: random.Random
    seed: int = 0
    now: dt.datetime = field(default_factory=timezone.now)
    base: dict[str, int] = field(default_factory=dict)
    staff_ids: list[int] = field(default_factory=list)


def run(plan: Plan) -> Iterator[tuple[str, Iterator[tuple[int, int]]]]:
    """Yield (label, progress) for each table in dependency order."""
    plan.staff_ids = _bench_staff(plan.staff)
    for model in (Customer, CustomerEmail, CustomerPhone, CaseReference, Contact,
                  BehaviourChange):
        plan.base[model._meta.label] = _max_id(model)
    yield "customers", copy_rows(Customer, _customers(plan), plan.customers)
    yield "emails", copy_rows(CustomerEmail, _emails(plan), int(plan.customers * 0.7))
    yield "phones", copy_rows(CustomerPhone, _phones(plan), int(plan.customers * 0.8))
    yield "case references", copy_rows(CaseReference, _cases(plan),
                                       plan.customers * CASES_PER_CUSTOMER)
    yield "contacts", copy_rows(Contact, _contacts(plan), plan.contacts)
    yield "behaviour changes", copy_rows(BehaviourChange, _changes(plan),
                                         int(plan.contacts * 0.1))
    for label, extra in EXTRA_SEEDERS:
        yield label, extra(plan)


def run_extra(plan: Plan) -> Iterator[tuple[str, Iterator[tuple[int, int]]]]:
    """Only the later apps' seeders, over the bench customers already in the database."""
    plan.staff_ids = _bench_staff(plan.staff)
    bench = Customer.objects.filter(reference__startswith="CUS-B")
    first = bench.order_by("id").values_list("id", flat=True).first()
    if first is None:
        raise RuntimeError("No bench customers: run seed_bench without --only-extra first.")
    plan.customers = bench.count()
    plan.base["contacts.Customer"] = first - 1
    plan.base["contacts.Contact"] = 0
    for label, extra in EXTRA_SEEDERS:
        yield label, extra(plan)


# Other apps append (label, seeder(plan) -> progress iterator) here, e.g. restrictions.
EXTRA_SEEDERS: list[tuple[str, Callable[[Plan], Iterator[tuple[int, int]]]]] = []


def copy_rows(model: type[models.Model], rows: Iterable[dict], expected: int):
    """COPY dict rows into ``model``'s table, yielding (rows done, rows expected)."""
    fields = list(model._meta.concrete_fields)
    defaults = {f.attname: f.get_default() for f in fields if not f.primary_key}
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    columns = [f.column for f in fields]
    attnames = [f.attname for f in fields]
    table = model._meta.db_table
    quoted = ", ".join(f'"{c}"' for c in columns)
    sql = f'COPY "{table}" ({quoted}) FROM STDIN'
    done = 0
    with connection.cursor() as cursor:
        # Rows are consistent by construction: skip per-row foreign-key triggers (superuser).
        cursor.execute("SET session_replication_role = replica")
    with connection.cursor() as cursor, cursor.connection.cursor() as raw, raw.copy(sql) as copy:
        for row in rows:
            values = [row[a] if a in row else defaults[a] for a in attnames]
            for i, attname in enumerate(attnames):
                if attname in json_fields:
                    values[i] = json.dumps(values[i])
            copy.write_row(values)
            done += 1
            if done % BATCH == 0:
                yield done, expected
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
    _move_sequence(model)
    yield done, expected


def _max_id(model) -> int:
    return model.objects.aggregate(m=models.Max("id"))["m"] or 0


def _move_sequence(model) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        # The table name comes from the model, never from input.
        sql = f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), " \
              f"(SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))"  # noqa: S608
        cursor.execute(sql)


def _bench_staff(count: int) -> list[int]:
    """Bench staff in one department: managers each with ten caseworkers."""
    department, _ = Department.objects.get_or_create(name="Bench Department")
    existing = list(User.objects.filter(username__startswith="bench-").values_list("id",
                                                                                  flat=True))
    # Bench users sign in during the load test (make load) with BENCH_PASSWORD.
    password = make_password(os.environ.get("BENCH_PASSWORD", "bench-password-2026"))
    if len(existing) >= count:
        _give_roles()
        User.objects.filter(username__startswith="bench-").update(password=password)
        return existing[:count]
    managers = [User(username=f"bench-manager-{i:03d}", password=password,
                     department=department, first_name="Bench", last_name=f"Manager {i}")
                for i in range(max(1, count // 10))]
    User.objects.bulk_create(managers, ignore_conflicts=True)
    managers = list(User.objects.filter(username__startswith="bench-manager-"))
    staff = [User(username=f"bench-staff-{i:04d}", password=password, department=department,
                  line_manager=managers[i % len(managers)], first_name="Bench",
                  last_name=f"Caseworker {i}")
             for i in range(count - len(managers))]
    User.objects.bulk_create(staff, ignore_conflicts=True)
    _give_roles()
    return list(User.objects.filter(username__startswith="bench-").values_list("id", flat=True))


def _give_roles() -> None:
    from django.contrib.auth.models import Group

    from accounts.constants import Role

    memberships = User.groups.through
    for prefix, role in (("bench-staff-", Role.CASEWORKER), ("bench-manager-", Role.LINE_MANAGER)):
        group, _ = Group.objects.get_or_create(name=role)
        memberships.objects.bulk_create(
            [memberships(user_id=pk, group_id=group.pk) for pk in
             User.objects.filter(username__startswith=prefix).values_list("id", flat=True)],
            ignore_conflicts=True)


def _customer_id(plan: Plan, k: int) -> int:
    return plan.base["contacts.Customer"] + 1 + k


def _name(plan: Plan, k: int) -> tuple[str, str]:
    # Deterministic per customer, so emails can be derived without keeping names in memory.
    mixed = (k * 2654435761 + plan.seed * 97) & 0xFFFFFFFF
    return GIVEN[mixed % len(GIVEN)], FAMILY[(mixed >> 8) % len(FAMILY)]


def _reference(n: int) -> str:
    chars = []
    for _ in range(8):
        n, rem = divmod(n, len(REFERENCE_ALPHABET))
        chars.append(REFERENCE_ALPHABET[rem])
    return "CUS-B" + "".join(reversed(chars))[1:]


def _customers(plan: Plan) -> Iterator[dict]:
    rng = plan.rng
    for k in range(plan.customers):
        given, family = _name(plan, k)
        yield {
            "id": _customer_id(plan, k),
            "reference": _reference(_customer_id(plan, k)),
            "given_name": given,
            "family_name": family,
            **search_keys(given, family),  # the folded and sounds-like keys (issue 16)
            "address": f"{rng.randint(1, 250)} {rng.choice(FAMILY)} Road",
            "communication_needs": "Hard of hearing: may speak loudly" if k % 50 == 7 else "",
            "created_at": plan.now - dt.timedelta(days=rng.randint(0, 2000)),
        }


def _emails(plan: Plan) -> Iterator[dict]:
    base = plan.base["contacts.CustomerEmail"]
    n = 0
    for k in range(plan.customers):
        if k % 10 < 7:
            given, family = _name(plan, k)
            email = f"{given}.{family}{k}@example.{('com', 'org', 'net')[k % 3]}".replace("'", "")
            n += 1
            yield {"id": base + n, "customer_id": _customer_id(plan, k),
                   "email": email if k % 4 else email.upper(), "email_normalised": email.lower()}


PHONE_FORMATS = (
    lambda d: f"0{d[:4]} {d[4:]}",
    lambda d: f"+44 {d[:4]} {d[4:]}",
    lambda d: f"(0{d[:3]}) {d[3:6]} {d[6:]}",
    lambda d: f"0{d}",
    lambda d: f"+44 (0){d[:4]}-{d[4:]}",
)


def _phones(plan: Plan) -> Iterator[dict]:
    base = plan.base["contacts.CustomerPhone"]
    n = 0
    for k in range(plan.customers):
        if k % 10 < 8:
            digits = ("7" if k % 3 else "1") + f"{(k * 7919 + 12345) % 10**9:09d}"
            number = PHONE_FORMATS[k % len(PHONE_FORMATS)](digits)
            n += 1
            yield {"id": base + n, "customer_id": _customer_id(plan, k), "number": number,
                   "number_normalised": normalise_phone(number)}


def _case_id(plan: Plan, k: int, j: int) -> int:
    return plan.base["contacts.CaseReference"] + 1 + k * CASES_PER_CUSTOMER + j


def _cases(plan: Plan) -> Iterator[dict]:
    for k in range(plan.customers):
        for j in range(CASES_PER_CUSTOMER):
            case_id = _case_id(plan, k, j)
            # Three letters and seven digits like real references; the "B" prefixes keep them
            # apart from demo data, and the number grows with the id so reruns never clash.
            number = (case_id - 1) // CASES_PER_CUSTOMER % 10_000_000
            yield {"id": case_id, "reference": f"{('BRF', 'BEN')[j % 2]}{number:07d}",
                   "customer_id": _customer_id(plan, k), "is_open": (k + j) % 5 == 0,
                   "created_at": plan.now - dt.timedelta(days=(k + j) % 1500)}


BEHAVIOURS = [""] * 90 + [Behaviour.DIFFICULT] * 5 + [Behaviour.PERSISTENT] * 2 + \
    [Behaviour.OFFENSIVE] * 2 + [Behaviour.ABUSIVE]
CHANNELS = [Channel.PHONE] * 6 + [Channel.EMAIL] * 2 + [Channel.LETTER, Channel.WEB_FORM,
                                                         Channel.IN_PERSON]


def _contact_customer(plan: Plan, i: int) -> int:
    if i < HOT_CUSTOMER_CONTACTS:
        return 0
    # Skewed: a tenth of customers account for half of the contacts.
    rng = plan.rng
    if rng.random() < 0.5:
        return rng.randrange(max(1, plan.customers // 10))
    return rng.randrange(plan.customers)


def _contacts(plan: Plan) -> Iterator[dict]:
    rng = plan.rng
    base = plan.base["contacts.Contact"]
    three_years = 3 * 365 * 24 * 3600
    for i in range(plan.contacts):
        k = _contact_customer(plan, i)
        behaviour = rng.choice(BEHAVIOURS)
        started = plan.now - dt.timedelta(seconds=rng.randrange(three_years))
        terminated = behaviour in (Behaviour.OFFENSIVE, Behaviour.ABUSIVE) and rng.random() < 0.5
        yield {
            "id": base + 1 + i,
            "customer_id": _customer_id(plan, k),
            "case_reference_id": _case_id(plan, k, i % CASES_PER_CUSTOMER) if i % 3 else None,
            "channel": rng.choice(CHANNELS),
            "direction": Direction.INBOUND if i % 5 else Direction.OUTBOUND,
            "started_at": started,
            "ended_at": started + dt.timedelta(seconds=rng.randint(60, 1800)),
            "staff_id": plan.staff_ids[i % len(plan.staff_ids)],
            "summary": "Asked about the progress of their complaint.",
            "behaviour": behaviour,
            "terminated": terminated,
            "termination_reason": "Abusive language continued after a warning." if terminated
            else "",
            "no_new_information": behaviour == Behaviour.PERSISTENT,
            "created_at": started,
        }


def _changes(plan: Plan) -> Iterator[dict]:
    """One behaviour change for every classified contact (about a tenth).

    Reads the contacts before the COPY starts: one connection cannot query during a COPY.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, behaviour, started_at, staff_id FROM contacts_contact "
            "WHERE id > %s AND behaviour <> '' ORDER BY id", [plan.base["contacts.Contact"]])
        classified = cursor.fetchall()
    base = plan.base["contacts.BehaviourChange"]
    return (
        {"id": base + n, "contact_id": contact_id, "behaviour": behaviour,
         "recorded_at": started + dt.timedelta(minutes=2), "recorded_by_id": staff_id,
         "equality_considered": False, "equality_note": ""}
        for n, (contact_id, behaviour, started, staff_id) in enumerate(classified, start=1)
    )

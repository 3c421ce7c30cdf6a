"""The pages ``manage.py bench`` measures, built from whatever ``seed_bench`` wrote.

Other apps add scenarios by appending a builder to ``BUILDERS``: a function taking the
``Fixtures`` and returning scenarios (or none when its data is missing).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from accounts.models import User
from contacts.constants import FlagStatus
from contacts.models import (
    CaseReference,
    Contact,
    Customer,
    CustomerEmail,
    CustomerPhone,
    PersistentContactFlag,
)
from core.bench.measure import Scenario


@dataclass
class Fixtures:
    caseworker: User
    manager: User
    hot_customer: Customer
    hot_contact: Contact


def hot_customer() -> Customer | None:
    """The customer the benchmark's customer page, contact screen and logged contacts use
    (the first seeded): ``prepare_load`` never asks to restrict them, so a load test run
    cannot change what the benchmark measures."""
    return Customer.objects.filter(reference__startswith="CUS-B").order_by("id").first()


def fixtures() -> Fixtures:
    caseworker = (User.objects.filter(username__startswith="bench-staff-")
                  .select_related("line_manager").order_by("username").first())
    if caseworker is None:
        raise RuntimeError("No bench data: run `manage.py seed_bench` first.")
    hot = hot_customer()
    contact = (Contact.objects.filter(customer=hot).order_by("-started_at").first())
    return Fixtures(caseworker=caseworker, manager=caseworker.line_manager, hot_customer=hot,
                    hot_contact=contact)


def _other_format(number: str) -> str:
    """The same phone written differently: 07700 900123 <-> +44 7700 900123."""
    digits = "".join(c for c in number if c.isdigit())
    if number.startswith("+44"):
        national = "0" + digits[2:].lstrip("0")
        return f"{national[:5]} {national[5:]}"
    return "+44 " + digits.lstrip("0")


def _nth(qs, n: int):
    """The ``n``-th row by id, or the last one when a small seed has fewer."""
    qs = qs.order_by("id")
    return qs[n:n + 1].first() or qs.last()


def core_scenarios(f: Fixtures) -> list[Scenario]:
    lookup = reverse("contacts:lookup")
    phone = _nth(CustomerPhone.objects.filter(customer__reference__startswith="CUS-B",
                                              number__startswith="0"), 1000)
    email = _nth(CustomerEmail.objects.filter(customer__reference__startswith="CUS-B"), 2000)
    case = _nth(CaseReference.objects.filter(reference__startswith="BRF"), 3000)
    started = timezone.localtime() - dt.timedelta(minutes=5)

    # 7.2 (issue 17): contacts without a case reference count towards persistence, so the
    # contacts this benchmark logs would raise a flag (and a reminder, which the sweep
    # benchmark refuses to count) on its first run. The hot customer has one open already,
    # which they join, as a busy customer's contacts would.
    PersistentContactFlag.objects.get_or_create(
        customer=f.hot_customer, case_reference=None, status=FlagStatus.OPEN,
        defaults={"manager": f.manager, "staff": f.caseworker,
                  "trigger": "Benchmark: the open flag the logged contacts join (7.2)"})

    def contact_post(i: int) -> dict:
        # No 12.3 warning to confirm: prepare_load never puts this customer to a decision
        # (hot_customer), so a 200 here means something changed what is measured.
        return {"channel": "phone", "direction": "inbound", "case_reference": "",
                "started_at": started.strftime("%Y-%m-%dT%H:%M"),
                "summary": f"Benchmark contact {i}"}

    return [
        Scenario("floor: base template, no data", f.caseworker, reverse("core:help_index"),
                 kind="floor"),
        Scenario("lookup: surname fragment 'smi'", f.caseworker, f"{lookup}?q=smi",
                 kind="lookup"),
        # Issue 23: common fragments inside many names (a prefix of few, a part of many).
        Scenario("lookup: common fragment 'son'", f.caseworker, f"{lookup}?q=son",
                 kind="lookup"),
        Scenario("lookup: common fragment 'ton'", f.caseworker, f"{lookup}?q=ton",
                 kind="lookup"),
        Scenario("lookup: folded name 'obrien'", f.caseworker, f"{lookup}?q=obrien",
                 kind="lookup"),
        Scenario("lookup: full name", f.caseworker,
                 f"{lookup}?q={f.hot_customer.given_name}+{f.hot_customer.family_name}",
                 kind="lookup"),
        # Issue 16: names as spoken and typed (folded keys, then Double Metaphone fill-in).
        Scenario("lookup: curly apostrophe and a space 'o\u2019 brien'", f.caseworker,
                 f"{lookup}?q=o%E2%80%99+brien", kind="lookup"),
        Scenario("lookup: accents 'siobhán'", f.caseworker, f"{lookup}?q=siobh%C3%A1n",
                 kind="lookup"),
        Scenario("lookup: sounds like 'smyth'", f.caseworker, f"{lookup}?q=smyth",
                 kind="lookup"),
        Scenario("lookup: phone, other format", f.caseworker,
                 f"{lookup}?q={_other_format(phone.number).replace('+', '%2B')}", kind="lookup"),
        Scenario("lookup: email", f.caseworker, f"{lookup}?q={email.email.upper()}",
                 kind="lookup"),
        Scenario("lookup: case reference", f.caseworker,
                 f"{lookup}?q={case.reference.lower()}", kind="lookup"),
        Scenario("customer page (200 contacts)", f.caseworker,
                 reverse("contacts:customer_detail", args=[f.hot_customer.pk])),
        Scenario("contact screen", f.hot_contact.staff,
                 reverse("contacts:contact_detail", args=[f.hot_contact.pk])),
        Scenario("log a contact (POST)", f.caseworker,
                 reverse("contacts:contact_log", args=[f.hot_customer.pk]), method="post",
                 data=contact_post, expect=302),
        Scenario("manager: terminated-call review queue", f.manager,
                 reverse("callogs:review_queue")),
        Scenario("manager: contacts to action", f.manager, reverse("contacts:queue")),
        Scenario("Head of Department: requests to decide", head_of_department(),
                 reverse("restrictions:to_decide")),
    ]


def head_of_department() -> User:
    """A Head of Department for the bench department (made on first use)."""
    hod = User.objects.filter(username="bench-hod").first()
    if hod is None:
        manager = User.objects.filter(username__startswith="bench-manager-").first()
        hod = User.objects.create(username="bench-hod", first_name="Bench", last_name="Head",
                                  department=manager.department)
        hod.groups.add(Group.objects.get_or_create(name=Role.HEAD_OF_DEPARTMENT)[0],
                       Group.objects.get_or_create(name=Role.LINE_MANAGER)[0])
        manager.department.head = hod
        manager.department.save(update_fields=["head"])
    return hod


BUILDERS: list[Callable[[Fixtures], list[Scenario]]] = [core_scenarios]


def all_scenarios() -> list[Scenario]:
    f = fixtures()
    result: list[Scenario] = []
    for build in BUILDERS:
        result.extend(build(f))
    return result

"""A department with its Head, a line manager with a team, senior staff and Compliance,
and ``populate(world, n)`` which puts ``n`` items in every queue with bulk inserts."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.constants import Role
from accounts.models import Department, User
from atrisk.models import AtRiskReport, VitalInterestsDisclosure
from callogs.constants import LogStatus
from callogs.models import TerminatedCallLog
from contacts.models import Callback, Contact, Customer, PersistentContactFlag, WrittenCommentReview
from notifications.models import InboxEntry
from restrictions.constants import Kind, Status
from restrictions.models import Restriction
from tests.accounts.factories import DepartmentFactory
from welfare.models import WelfareFollowUp


@dataclass
class World:
    department: Department
    hod: User
    manager: User
    caseworker: User
    senior: User
    compliance: User
    boss: User  # every manager role at once: line manager of ``caseworker2``, Head of ``other``
    caseworker2: User
    other_department: Department
    other_manager: User
    outsider: User  # a caseworker in the other department
    customer: Customer


@pytest.fixture
def world(make_user) -> World:
    return build_world(make_user)


def build_world(make_user) -> World:
    department = DepartmentFactory(name="Benefits")
    other = DepartmentFactory(name="Housing")
    hod = make_user(Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER, department=department,
                    username="hod")
    department.head = hod
    department.save()
    manager = make_user(Role.LINE_MANAGER, department=department, line_manager=hod,
                        username="manager", first_name="Morgan", last_name="Manager")
    caseworker = make_user(Role.CASEWORKER, department=department, line_manager=manager,
                           username="caseworker")
    senior = make_user(Role.SENIOR_STAFF, department=department, username="senior")
    compliance = make_user(Role.COMPLIANCE, username="compliance")
    boss = make_user(Role.LINE_MANAGER, Role.HEAD_OF_DEPARTMENT, Role.SENIOR_STAFF,
                     Role.COMPLIANCE, Role.CASEWORKER, department=other, username="boss")
    other.head = boss
    other.save()
    caseworker2 = make_user(Role.CASEWORKER, department=other, line_manager=boss,
                            username="caseworker2")
    other_manager = make_user(Role.LINE_MANAGER, department=other, line_manager=boss,
                              username="other_manager", first_name="Olly", last_name="Other")
    outsider = make_user(Role.CASEWORKER, department=other, line_manager=other_manager,
                         username="outsider")
    customer = Customer.objects.create(given_name="Jo", family_name="Caller")
    return World(department, hod, manager, caseworker, senior, compliance, boss, caseworker2,
                 other, other_manager, outsider, customer)


def contacts(world: World, n: int, staff: User, **fields) -> list[Contact]:
    fields.setdefault("channel", "phone")
    fields.setdefault("started_at", timezone.now() - timedelta(hours=1))
    return Contact.objects.bulk_create(
        Contact(customer=world.customer, staff=staff, **fields) for _ in range(n))


def populate(world: World, n: int) -> None:
    """``n`` items in every queue of ``world.boss`` (who holds every manager role)."""
    now = timezone.now()
    boss, team = world.boss, world.caseworker2
    Callback.objects.bulk_create(
        Callback(contact=c, assigned_to=boss, arranged_by=team, due_at=now - timedelta(hours=i))
        for i, c in enumerate(contacts(world, n, team)))
    TerminatedCallLog.objects.bulk_create(
        TerminatedCallLog(contact=c, author=boss, call_at=now, reason="Abuse",
                          staff_name="Boss")
        for c in contacts(world, n, boss, terminated=True, behaviour="abusive"))
    TerminatedCallLog.objects.bulk_create(
        TerminatedCallLog(contact=c, author=team, call_at=now, reason="Abuse",
                          staff_name="Team", status=LogStatus.SUBMITTED, submitted_at=now)
        for c in contacts(world, n, team, terminated=True, behaviour="offensive"))
    WelfareFollowUp.objects.bulk_create(
        WelfareFollowUp(staff=team, manager=boss, reason="termination", due_at=now)
        for _ in range(n))
    # One open flag per customer without a case (7.2, issue 17): each flag its own caller.
    flagged = Customer.objects.bulk_create(
        Customer(given_name="Flagged", family_name=f"Caller {i}") for i in range(n))
    PersistentContactFlag.objects.bulk_create(
        PersistentContactFlag(customer=c, manager=boss, staff=team, trigger="x")
        for c in flagged)
    WrittenCommentReview.objects.bulk_create(
        WrittenCommentReview(contact=c, manager=boss, raised_by=team, comments="Rude")
        for c in contacts(world, n, team, channel="email"))
    today = timezone.localdate()
    Restriction.objects.bulk_create(
        Restriction(customer=world.customer, requested_by=team, department=world.other_department,
                    status=Status.SUBMITTED, grounds="g", terms=["written_only"],
                    start_date=today, review_date=today + timedelta(days=90), submitted_at=now)
        for _ in range(n))
    Restriction.objects.bulk_create(
        Restriction(customer=world.customer, requested_by=team, department=world.other_department,
                    status=Status.APPROVED, kind=Kind.ADJUSTMENT, grounds="g", terms=[],
                    adjustments=["large_print"], decided_by=boss, decided_at=now,
                    start_date=today - timedelta(days=80), review_date=today + timedelta(days=3),
                    submitted_at=now)
        for _ in range(n))
    reports = AtRiskReport.objects.bulk_create(
        AtRiskReport(raised_by=team, source="telephone", threat_type="self_harm",
                     what_was_said="said", threat_made_at=now, emergency_advice="advised",
                     customer=world.customer)
        for _ in range(n))
    VitalInterestsDisclosure.objects.bulk_create(
        VitalInterestsDisclosure(report=r, necessity="n", less_intrusive_options="l",
                                 consent="refused", consent_explanation="c",
                                 recipient_type="police", recipient_authority="Police",
                                 what_was_disclosed="w", disclosed_at=now,
                                 authorised_by=boss, recorded_by=boss)
        for r in reports)
    InboxEntry.objects.bulk_create(
        InboxEntry(recipient=boss, text=f"Note {i}") for i in range(n))

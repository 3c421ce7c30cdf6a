"""Demo staff: two departments, a line-manager chain and at least one user per role."""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.constants import Role
from accounts.models import Department, User


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    job_title: str
    department: str | None
    line_manager: str | None
    roles: tuple[str, ...]


DEPARTMENTS = ("Customer Contact", "Complaints and Review")

# Managers come before the people who report to them.
DEMO_USERS = (
    DemoUser("hod", "Hannah", "Okafor", "Head of Customer Contact", "Customer Contact", None,
             (Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER)),
    DemoUser("senior", "Samir", "Patel", "Senior Case Officer", "Customer Contact", "hod",
             (Role.SENIOR_STAFF, Role.LINE_MANAGER)),
    DemoUser("manager", "Morgan", "Reid", "Team Manager", "Customer Contact", "senior",
             (Role.LINE_MANAGER,)),
    DemoUser("caseworker", "Casey", "Walsh", "Case Officer", "Customer Contact", "manager",
             (Role.CASEWORKER,)),
    DemoUser("caseworker2", "Chris", "Evans", "Case Officer", "Customer Contact", "manager",
             (Role.CASEWORKER,)),
    DemoUser("hod2", "Helen", "Brooks", "Head of Complaints and Review", "Complaints and Review",
             None, (Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER)),
    DemoUser("manager2", "Mo", "Hussain", "Team Manager", "Complaints and Review", "hod2",
             (Role.LINE_MANAGER,)),
    DemoUser("caseworker3", "Cam", "Nowak", "Review Officer", "Complaints and Review", "manager2",
             (Role.CASEWORKER,)),
    DemoUser("compliance", "Chidi", "Mensah", "Compliance Officer", None, None, (Role.COMPLIANCE,)),
    DemoUser("admin", "Ada", "Grant", "Service Administrator", None, None, (Role.ADMINISTRATOR,)),
)


@transaction.atomic
def load_staff(*, password: str) -> list[DemoUser]:
    """Create or refresh the demo departments and users; safe to run again."""
    departments = {name: Department.objects.get_or_create(name=name)[0] for name in DEPARTMENTS}
    groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
    users: dict[str, User] = {}
    for demo in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=demo.username)
        user.first_name, user.last_name, user.job_title = (
            demo.first_name, demo.last_name, demo.job_title)
        user.email = f"{demo.username}@example.org"
        user.department = departments.get(demo.department) if demo.department else None
        user.line_manager = users.get(demo.line_manager) if demo.line_manager else None
        user.is_staff = user.is_superuser = Role.ADMINISTRATOR in demo.roles
        user.set_password(password)
        user.save()
        user.groups.set([groups[r] for r in demo.roles])
        users[demo.username] = user
    for name, head in (("Customer Contact", "hod"), ("Complaints and Review", "hod2")):
        departments[name].head = users[head]
        departments[name].save(update_fields=["head"])
    return list(DEMO_USERS)

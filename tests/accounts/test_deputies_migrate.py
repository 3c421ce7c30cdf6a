"""Issue 17: the deputy field went; every deputy gets a recorded acting appointment first.

The data step of ``accounts/0003`` runs against the schema as it stood then: the test adds
the old ``deputy_id`` column inside its own transaction (PostgreSQL DDL rolls back), builds
the historical models at that point of the migration, and runs the step.
"""

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from accounts.constants import Role
from accounts.models import ActingHeadOfDepartment
from accounts.rules import is_head_of_department_of
from accounts.selectors import heads_of
from audit.models import AuditEvent

MIGRATION = "0003_acting_head_of_department_replaces_deputy"
step = importlib.import_module(f"accounts.migrations.{MIGRATION}")

pytestmark = pytest.mark.django_db


def _state_before_the_field_goes():
    loader = MigrationLoader(connection)
    state = loader.project_state(nodes=[
        ("accounts", "0002_create_role_groups"), ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name")], at_end=True)
    migration = loader.get_migration("accounts", MIGRATION)
    for operation in migration.operations:
        if operation.__class__.__name__ == "RunPython":
            break
        operation.state_forwards("accounts", state)
    return state.apps


def test_every_deputy_becomes_a_recorded_acting_head_who_can_decide(make_user):
    head = make_user(Role.HEAD_OF_DEPARTMENT, username="old-head")
    deputy = make_user(Role.LINE_MANAGER, username="old-deputy")
    no_head_deputy = make_user(Role.LINE_MANAGER, username="deputy-no-head")
    gone = make_user(Role.LINE_MANAGER, username="left", is_active=False)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE accounts_department ADD COLUMN deputy_id bigint NULL")
    apps = _state_before_the_field_goes()
    Department = apps.get_model("accounts", "Department")
    with_head = Department.objects.create(name="Old A", head_id=head.pk, deputy_id=deputy.pk)
    headless = Department.objects.create(name="Old B", deputy_id=no_head_deputy.pk)
    Department.objects.create(name="Old C", head_id=head.pk, deputy_id=gone.pk)  # inactive
    Department.objects.create(name="Old D", head_id=head.pk)  # no deputy
    with connection.schema_editor() as editor:
        step.deputies_become_acting_heads(apps, editor)

    from accounts.models import Department as Current

    appointments = ActingHeadOfDepartment.objects.order_by("department__name")
    assert [(a.department.name, a.acting_head, a.appointed_by) for a in appointments] == [
        ("Old A", deputy, head), ("Old B", no_head_deputy, no_head_deputy)]
    today = timezone.localdate()
    for appointment in appointments:
        assert appointment.starts_on == today
        assert appointment.ends_on == today + dt.timedelta(
            days=settings.ACCOUNTS_ACTING_HEAD_MAX_DAYS - 1)
        assert "deputy" in appointment.reason
        assert AuditEvent.objects.filter(action="actingheadofdepartment.appointed",
                                         target_id=str(appointment.pk)).exists()
    # They decide as before, now as recorded acting Heads (7.2, 12.1).
    def request_from(name):  # a record of the department (a restriction, a member of staff)
        return SimpleNamespace(department=Current.objects.get(name=name))

    assert is_head_of_department_of(deputy, request_from("Old A"))
    assert (deputy, True) in heads_of(Current.objects.get(pk=with_head.pk))
    assert is_head_of_department_of(no_head_deputy, request_from(headless.name))
    assert not is_head_of_department_of(gone, request_from("Old C"))


def test_the_demo_data_has_no_deputy_left_without_an_appointment(db):
    """Every demo member of staff in the Head of Department role heads a department, or
    is its acting Head today; the demo never had a deputy field to carry over."""
    from accounts.demo import load_staff
    from accounts.models import User
    from accounts.selectors import departments_headed_by
    from tests.restrictions.conftest import ensure_role_groups

    ensure_role_groups()
    load_staff(password="demo-password-1")
    holders = User.objects.filter(groups__name=Role.HEAD_OF_DEPARTMENT, is_active=True)
    assert holders.exists()
    for person in holders:
        assert departments_headed_by(person).exists(), person

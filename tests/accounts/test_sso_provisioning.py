"""Provisioning from the identity provider's claims (issue 21): the service, not the browser.

The full redirect flow against a real provider is in tests/browser/test_sso.py.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts.constants import Role
from accounts.models import ExternalIdentity, User
from accounts.sso import config
from accounts.sso.provisioning import (
    SignInRefused,
    strong_authentication,
    user_provision_from_claims,
)
from audit.models import AuditEvent
from tests.accounts.factories import DepartmentFactory

pytestmark = pytest.mark.django_db
ISSUER = "https://login.example.org/tenant"


@pytest.fixture(autouse=True)
def _sso_settings(settings):
    settings.OIDC_ISSUER = ISSUER
    settings.OIDC_RP_CLIENT_ID = "service"
    settings.OIDC_ROLE_GROUPS = {
        Role.CASEWORKER: ["grp-caseworkers"],
        Role.LINE_MANAGER: ["grp-managers"],
        Role.HEAD_OF_DEPARTMENT: ["grp-hods"],
        Role.ADMINISTRATOR: ["grp-admins"],
    }
    settings.OIDC_GROUPS_CLAIM = "groups"
    settings.OIDC_DEPARTMENT_CLAIM = "department"
    settings.OIDC_LINE_MANAGER_CLAIM = "manager_sub"


def claims(sub="abc-123", **extra):
    return {"sub": sub, "given_name": "Casey", "family_name": "Walsh",
            "email": "casey.walsh@example.org", "preferred_username": "cwalsh",
            "groups": ["grp-caseworkers", "grp-unrelated"], **extra}


def actions(user=None):
    events = AuditEvent.objects.order_by("id")
    if user is not None:
        events = events.filter(target_id=str(user.pk))
    return [e.action for e in events]


def test_first_sign_in_creates_the_user_with_issuer_and_subject():
    signed_in = user_provision_from_claims(issuer=ISSUER, claims=claims())
    user = signed_in.user
    assert (user.username, user.first_name, user.last_name, user.email) == (
        "cwalsh", "Casey", "Walsh", "casey.walsh@example.org")
    assert not user.has_usable_password()
    assert user.role_names == {Role.CASEWORKER}
    identity = ExternalIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (ISSUER, "abc-123")
    assert identity.last_sign_in_at is not None
    assert actions(user) == ["user.provisioned", "user.updated_from_provider",
                             "user.roles_from_provider"]
    assert AuditEvent.objects.get(action="user.roles_from_provider").changes["added"] == [
        Role.CASEWORKER]


def test_later_sign_in_updates_name_and_email_and_audits_only_the_change():
    user = user_provision_from_claims(issuer=ISSUER, claims=claims()).user
    again = user_provision_from_claims(
        issuer=ISSUER, claims=claims(family_name="Walsh-Jones", email="cwj@example.org")).user
    assert again.pk == user.pk
    again.refresh_from_db()
    assert (again.last_name, again.email) == ("Walsh-Jones", "cwj@example.org")
    event = AuditEvent.objects.filter(action="user.updated_from_provider").order_by("id").last()
    assert event.changes == {"last_name": ["Walsh", "Walsh-Jones"],
                             "email": ["casey.walsh@example.org", "cwj@example.org"]}
    # Nothing changed: nothing more is audited.
    count = AuditEvent.objects.count()
    user_provision_from_claims(issuer=ISSUER, claims=claims(
        family_name="Walsh-Jones", email="cwj@example.org"))
    assert AuditEvent.objects.count() == count


def test_never_matched_on_email_alone(make_user):
    local = make_user(Role.ADMINISTRATOR, username="cwalsh", email="casey.walsh@example.org")
    user = user_provision_from_claims(issuer=ISSUER, claims=claims()).user
    assert user.pk != local.pk
    assert user.username.startswith("cwalsh-")  # the local username is not taken over
    local.refresh_from_db()
    assert local.role_names == {Role.ADMINISTRATOR}


def test_same_subject_at_another_issuer_is_another_person():
    first = user_provision_from_claims(issuer=ISSUER, claims=claims()).user
    other = user_provision_from_claims(issuer="https://other.example.org",
                                       claims=claims(preferred_username="c2")).user
    assert first.pk != other.pk


def test_roles_follow_groups_at_every_sign_in():
    user = user_provision_from_claims(issuer=ISSUER, claims=claims()).user
    user = user_provision_from_claims(
        issuer=ISSUER, claims=claims(groups=["grp-managers", "grp-hods"])).user
    user.refresh_from_db()
    assert User.objects.get(pk=user.pk).role_names == {Role.LINE_MANAGER,
                                                       Role.HEAD_OF_DEPARTMENT}
    event = AuditEvent.objects.filter(action="user.roles_from_provider").order_by("id").last()
    assert event.changes["added"] == [Role.HEAD_OF_DEPARTMENT, Role.LINE_MANAGER]
    assert event.changes["removed"] == [Role.CASEWORKER]


def test_roles_the_mapping_does_not_manage_stay_as_an_administrator_set_them():
    user = user_provision_from_claims(issuer=ISSUER, claims=claims()).user
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get_or_create(name=Role.COMPLIANCE)[0])
    user_provision_from_claims(issuer=ISSUER, claims=claims())
    assert User.objects.get(pk=user.pk).role_names == {Role.CASEWORKER, Role.COMPLIANCE}


def test_administrator_from_groups_gets_the_admin_site_but_never_superuser():
    user = user_provision_from_claims(issuer=ISSUER, claims=claims(groups=["grp-admins"])).user
    user.refresh_from_db()
    assert user.is_staff
    assert not user.is_superuser
    user_provision_from_claims(issuer=ISSUER, claims=claims(groups=["grp-caseworkers"]))
    user.refresh_from_db()
    assert not user.is_staff


def test_no_mapped_group_is_refused_and_audited():
    with pytest.raises(SignInRefused) as refused:
        user_provision_from_claims(issuer=ISSUER, claims=claims(groups=["grp-unrelated"]))
    assert refused.value.reason == "no_mapped_group"
    assert "do not have a role" in refused.value.message
    assert not User.objects.exists()
    assert AuditEvent.objects.get().changes["reason"] == "no_mapped_group"


def test_last_role_removed_at_the_provider_is_removed_here_and_refused():
    user = user_provision_from_claims(issuer=ISSUER, claims=claims()).user
    with pytest.raises(SignInRefused):
        user_provision_from_claims(issuer=ISSUER, claims=claims(groups=[]))
    assert User.objects.get(pk=user.pk).role_names == frozenset()
    assert actions(user)[-2:] == ["user.roles_from_provider", "user.sign_in_refused"]


def test_user_disabled_here_cannot_sign_in_through_the_provider():
    user = user_provision_from_claims(issuer=ISSUER, claims=claims()).user
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(SignInRefused) as refused:
        user_provision_from_claims(issuer=ISSUER, claims=claims(given_name="Changed"))
    assert refused.value.reason == "disabled"
    user.refresh_from_db()
    assert not user.is_active
    assert user.first_name == "Casey"


def test_department_and_line_manager_from_claims_where_present():
    department = DepartmentFactory(name="Customer Contact")
    manager = user_provision_from_claims(
        issuer=ISSUER, claims=claims(sub="mgr-1", preferred_username="mreid",
                                     groups=["grp-managers"])).user
    user = user_provision_from_claims(issuer=ISSUER, claims=claims(
        department="Customer Contact", manager_sub="mgr-1")).user
    user.refresh_from_db()
    assert (user.department, user.line_manager) == (department, manager)
    # Absent or unknown: left as an administrator set it.
    user_provision_from_claims(issuer=ISSUER, claims=claims(department="No such team"))
    user.refresh_from_db()
    assert (user.department, user.line_manager) == (department, manager)


def test_group_overage_is_refused_with_its_own_message():
    with pytest.raises(SignInRefused) as refused:
        user_provision_from_claims(issuer=ISSUER, claims={
            "sub": "x", "_claim_names": {"groups": "src1"}})
    assert refused.value.reason == "group_overage"


@pytest.mark.parametrize(("extra", "strong"), [
    ({"amr": ["pwd", "mfa"]}, True),
    ({"amr": ["pwd"]}, False),
    ({}, False),
    ({"acr": "gold"}, False),
])
def test_strong_authentication_from_amr(extra, strong):
    assert strong_authentication(claims(**extra)) is strong


def test_strong_authentication_from_acr(settings):
    settings.OIDC_STRONG_ACR = ["gold"]
    assert strong_authentication(claims(acr="gold"))
    assert not strong_authentication(claims(acr="bronze"))


def test_role_mapping_naming_an_unknown_role_is_a_configuration_error(settings):
    settings.OIDC_ROLE_GROUPS = {"Caseworkers": ["g"]}
    with pytest.raises(ImproperlyConfigured, match="not a role here"):
        config.role_groups()


def test_two_first_sign_ins_at_once_make_one_user(monkeypatch):
    """The second request looked before the first had committed: its insert meets the unique
    (issuer, subject) constraint and it carries on with the user the first one made."""
    from accounts.sso import provisioning

    first = user_provision_from_claims(issuer=ISSUER, claims=claims()).user
    looked = []

    def not_yet_visible(issuer, subject):
        if not looked:
            looked.append(True)
            return None
        return ExternalIdentity.objects.get(issuer=issuer, subject=subject)

    monkeypatch.setattr(provisioning, "_find_identity", not_yet_visible)
    second = user_provision_from_claims(issuer=ISSUER, claims=claims()).user
    assert second.pk == first.pk
    assert User.objects.count() == 1
    assert actions().count("user.provisioned") == 1


def test_a_repeat_sign_in_with_nothing_changed_costs_a_fixed_number_of_queries(
        django_assert_num_queries):
    DepartmentFactory(name="Customer Contact")
    user_provision_from_claims(issuer=ISSUER, claims=claims(department="Customer Contact"))
    # identity + user (locked) + department by name + the user's managed roles + the
    # last-sign-in update, with the savepoint around them. A change here means each
    # sign-in costs more: say why in the commit.
    with django_assert_num_queries(7):
        user_provision_from_claims(issuer=ISSUER, claims=claims(department="Customer Contact"))

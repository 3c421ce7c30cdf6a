"""Issue 17: a Django superuser is not a back door to customer records.

``PermissionsMixin.has_perm`` and ``ModelBackend`` grant an active superuser every permission;
``accounts.models.User.has_perm`` asks only the backends and ``accounts.backends
.AdministrationBackend`` limits a superuser's model permissions to what administrators
manage. The URL matrix and the service matrix include ``superuser``; these tests prove the
two halves directly (refused customer records, still able to administer).
"""

import pytest
from django.contrib.auth.models import Group

from accounts.constants import Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

CUSTOMER_PERMS = ["contacts.view_customer", "contacts.lookup_customers",
                  "atrisk.list_reports", "atrisk.view_report", "privacy.manage_subject_access",
                  "restrictions.view_grounds", "restrictions.view_restriction",
                  "contacts.view_contact", "welfare.view_distress_flag", "audit.search_events"]


@pytest.fixture
def superuser():
    Group.objects.get_or_create(name=Role.ADMINISTRATOR)
    return UserFactory(username="root", is_superuser=True, is_staff=True,
                       roles=[Role.ADMINISTRATOR])


@pytest.mark.parametrize("perm", CUSTOMER_PERMS)
def test_a_superuser_holds_no_customer_permission(superuser, perm):
    assert not superuser.has_perm(perm)


def test_model_permissions_that_share_a_rules_name_are_not_granted(superuser):
    """``contacts.view_customer`` is both a rules permission and Customer's model permission:
    only the rules answer, so the superuser's model permissions cannot open it."""
    assert "contacts.view_customer" not in superuser.get_all_permissions()
    assert not superuser.has_perm("contacts.view_customer")
    assert not superuser.has_perm("contacts.change_contact")
    assert not superuser.has_perm("restrictions.change_restriction")


def test_a_superuser_still_administers_users_departments_and_the_rota(superuser):
    for perm in ("accounts.change_user", "accounts.add_department", "auth.change_group",
                 "atrisk.change_dutyrota", "atrisk.manage_duty_rota"):
        assert superuser.has_perm(perm), perm
    assert superuser.has_module_perms("accounts")
    assert not superuser.has_module_perms("contacts")


def test_a_superuser_with_a_customer_facing_role_sees_what_that_role_sees(superuser):
    superuser.groups.add(Group.objects.get_or_create(name=Role.COMPLIANCE)[0])
    superuser._role_names = None
    assert superuser.has_perm("privacy.manage_subject_access")
    assert superuser.has_perm("contacts.view_customer")


@pytest.mark.parametrize("path", ["/admin/contacts/customer/", "/admin/contacts/contact/",
                                  "/admin/restrictions/restriction/",
                                  "/admin/welfare/distressflag/",
                                  "/admin/callogs/terminatedcalllog/"])
def test_the_django_admin_shows_a_superuser_no_customer_records(superuser, client_for, path):
    assert client_for(superuser).get(path).status_code == 403


def test_the_django_admin_index_lists_only_what_administrators_manage(superuser, client_for):
    response = client_for(superuser).get("/admin/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/admin/accounts/user/" in body
    assert "/admin/accounts/department/" in body
    assert "/admin/contacts/customer/" not in body
    assert "/admin/restrictions/restriction/" not in body

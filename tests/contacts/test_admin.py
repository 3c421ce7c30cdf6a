"""The Django admin only shows customers and their details (issue 16): no add, change or
delete, even for a superuser."""

import pytest
from django.urls import reverse

from accounts.constants import Role
from contacts.models import Customer
from tests.contacts.factories import CustomerFactory, CustomerPhoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client_for, make_user):
    return client_for(make_user(Role.ADMINISTRATOR, is_superuser=True, is_staff=True))


def test_customers_can_be_read_in_the_admin(root):
    customer = CustomerFactory(family_name="Readonly")
    CustomerPhoneFactory(customer=customer)
    assert "Readonly" in root.get(reverse("admin:contacts_customer_changelist")).content.decode()
    page = root.get(reverse("admin:contacts_customer_change", args=[customer.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_customers_cannot_be_added_changed_or_deleted_in_the_admin(root):
    customer = CustomerFactory(family_name="Readonly")
    assert root.get(reverse("admin:contacts_customer_add")).status_code == 403
    assert root.post(reverse("admin:contacts_customer_add"),
                     {"family_name": "New"}).status_code == 403
    root.post(reverse("admin:contacts_customer_change", args=[customer.pk]),
              {"family_name": "Changed", "reference": customer.reference})
    assert root.post(reverse("admin:contacts_customer_delete", args=[customer.pk]),
                     {"post": "yes"}).status_code == 403
    customer.refresh_from_db()
    assert customer.family_name == "Readonly"
    assert Customer.objects.count() == 1

"""The Django admin never changes customers or their details (issue 16): no add, change or
delete, even for a superuser (administrators see no customer records at all: issue 17)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from accounts.constants import Role
from contacts.models import CaseReference, Contact, Customer, CustomerEmail, CustomerPhone
from tests.contacts.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Customer, Contact])
def test_no_add_change_or_delete_in_the_admin_even_for_a_superuser(make_user, model):
    request = RequestFactory().get("/admin/")
    request.user = make_user(Role.ADMINISTRATOR, is_superuser=True, is_staff=True)
    model_admin = admin.site._registry[model]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    for inline in model_admin.get_inline_instances(request):
        assert inline.model in (CustomerEmail, CustomerPhone, CaseReference)
        assert not inline.has_add_permission(request, None)
        assert not inline.has_change_permission(request)
        assert not inline.has_delete_permission(request)


def test_a_post_to_the_admin_changes_nothing(client_for, make_user):
    root = client_for(make_user(Role.ADMINISTRATOR, is_superuser=True, is_staff=True))
    customer = CustomerFactory(family_name="Readonly")
    root.post(reverse("admin:contacts_customer_add"), {"family_name": "New"})
    root.post(reverse("admin:contacts_customer_change", args=[customer.pk]),
              {"family_name": "Changed", "reference": customer.reference})
    root.post(reverse("admin:contacts_customer_delete", args=[customer.pk]), {"post": "yes"})
    customer.refresh_from_db()
    assert customer.family_name == "Readonly"
    assert Customer.objects.count() == 1

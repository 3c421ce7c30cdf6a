"""The customer page's link to the record history (managers and Compliance)."""

from django.urls import reverse

from core.extensions import Action


def history_actions(request, customer):
    if request.user.has_perm("audit.view_customer_history"):
        yield Action("See who changed or opened this record",
                     reverse("audit:customer_history", args=[customer.pk]))

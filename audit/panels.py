"""The customer page's link to the record history (managers and Compliance)."""

from django.urls import reverse

from core.extensions import Action


def history_actions(request, customer):
    # Checked on the customer: rules decides, and Django's ModelBackend (which holds none of
    # these permissions) answers an object check without its two queries.
    if request.user.has_perm("audit.view_customer_history", customer):
        yield Action("See who changed or opened this record",
                     reverse("audit:customer_history", args=[customer.pk]))

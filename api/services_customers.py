"""Case-management sync: customers upserted by the case system's own ids.

The customer rules are the customers app's (``contacts.customer_services``: validation,
phones in E.164, case references, the audit of each field); this keeps only the mapping from
the client's external id to our customer. Updating with what is already held changes
nothing, so the same payload twice is one record and one audit row."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from api.constants import Scope
from api.models import ExternalCustomer, SystemClient
from audit.services import audit_record
from contacts.customer_services import customer_create, customer_update


def system_actor_check(actor, purpose: str) -> bool:
    """``core.extensions.system_actor_checks``: a client's account may keep customers, and
    confirm a copy placed in the case file (8.1), when the client is active and has the cases
    scope. Staff accounts are active users: answered
    without a query."""
    if purpose not in ("customers", "case_files") or getattr(actor, "is_active", True):
        return False
    client = getattr(actor, "system_client", None)
    return client is not None and client.is_active and client.has_scope(Scope.CASES)


def customer_upsert(*, client: SystemClient, external_id: str,
                    details: dict) -> tuple[object, bool]:
    """Create or update the customer the case system calls ``external_id``; returns
    (customer, created)."""
    if not client.is_active or not client.has_scope(Scope.CASES):
        raise PermissionDenied("This client does not have the cases scope.")
    with transaction.atomic():
        link = (ExternalCustomer.objects.select_for_update().select_related("customer")
                .filter(client=client, external_id=external_id).first())
        if link is None:
            customer = customer_create(actor=client.account, **details)
            ExternalCustomer.objects.create(client=client, external_id=external_id,
                                            customer=customer)
            audit_record(actor=client.account, action="externalcustomer.linked",
                         target=customer, changes={"client": client.pk})
            return customer, True
        customer = customer_update(actor=client.account, customer=link.customer, **details)
        ExternalCustomer.objects.filter(pk=link.pk).update(updated_at=timezone.now())
        return customer, False

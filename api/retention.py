"""Retention rules for the API's records (privacy.registry; docs/DATA_PROTECTION.md).

A call event holds the caller's telephone number, so it is kept as long as the contact it
opened and then anonymised. The webhook outbox carries ids and kinds only (``api.outbox``),
and is deleted once its delivery is a year old. Registered systems and their webhook
subscriptions are configuration, not anyone's personal data.
"""

from contacts.retention import LAWFUL_BASIS, STAFF_LINK
from privacy.registry import ANONYMISE, DELETE, RetentionRule, exempt, register

SYSTEM_SOURCE = "sent by a registered system through the API"
INTEGRATION_BASIS = ("Public task (UK GDPR Art. 6(1)(e)): passing records between the "
                     "organisation's own systems")

register(RetentionRule(
    model="api.CallEvent", personal_fields=("caller_number", "called_number"),
    period="contacts", action=ANONYMISE, anchor="started_at", starts="the call started",
    customer="contact__customer", source="the telephony system",
    purpose="Open a phone contact for the agent who answers a call (the screen-pop)",
    lawful_basis=LAWFUL_BASIS, seen_by=("api.receive_calls", "contacts.view_contact"),
    kept={"call_id": "the telephony system's id for the call; no number or name in it",
          "agent": STAFF_LINK},
))
register(RetentionRule(
    model="api.ExternalCustomer", personal_fields=("external_id",), period="customers",
    action=DELETE, follows="customer", customer="customer",
    starts="the customer's last contact", source="the case-management system",
    purpose="Match the case-management system's customer to ours when it sends an update",
    lawful_basis=INTEGRATION_BASIS, seen_by=("api.manage_clients",),
    kept={"payload_hash": "a one-way hash of the last update, to skip a repeat; "
                          "deleted with the row"},
))
register(RetentionRule(
    model="api.CaseFileReceipt", personal_fields=(), period="contacts", action=DELETE,
    anchor="confirmed_at", starts="the case system confirmed the record was filed",
    subjects=(), source="the case-management system",
    purpose="Show that a terminated-call log (8.1) or at-risk telephone note (11.2) was "
            "placed in the case file",
    lawful_basis=LAWFUL_BASIS, seen_by=("api.manage_clients",),
    kept={"case_reference": "the case management system's case number; on its own it does "
                            "not identify anyone"},
))
register(RetentionRule(
    model="api.WebhookDelivery", personal_fields=("payload",), period="notifications",
    action=DELETE, anchor="created_at", starts="the event was queued", subjects=(),
    source="written by this service when a record changes",
    purpose="Tell subscribed systems that a record changed (ids and kinds only)",
    lawful_basis=INTEGRATION_BASIS, seen_by=("api.manage_clients",),
))
register(RetentionRule(
    model="api.WebhookAttempt", personal_fields=("error",), period="notifications",
    action=DELETE, follows="delivery", starts="its delivery was queued", subjects=(),
    source="written by this service when it posts a delivery",
    purpose="Show why a delivery to a subscribed system failed",
    lawful_basis=INTEGRATION_BASIS, seen_by=("api.manage_clients",),
))
exempt("api.SystemClient", "A registered system (telephony, case management, intranet), not "
                           "a person: its name, key prefix and a one-way hash of its key; its "
                           "account is the system's own inactive user, and created_by the "
                           "administrator who registered it.")
exempt("api.WebhookSubscription", "A system's configuration: the URL to post events to and "
                                  "the signing secret; nothing about a person.")

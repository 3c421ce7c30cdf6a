"""Domain events to webhooks: listeners registered on ``core.extensions`` (one call in each
service that makes the change). Payloads carry ids and kinds, never text about a person."""

from api.constants import EventKind
from core import extensions

# restrictions' state-machine actions -> the webhook event kinds clients subscribe to
RESTRICTION_EVENTS = {
    "restriction.approve": EventKind.RESTRICTION_DECIDED,
    "restriction.refuse": EventKind.RESTRICTION_DECIDED,
    "restriction.renew": EventKind.RESTRICTION_RENEWED,
    "restriction.lift": EventKind.RESTRICTION_LIFTED,
    "restriction.expire": EventKind.RESTRICTION_EXPIRED,
}


def _external_ids(customer_id) -> dict:
    from api.models import ExternalCustomer

    if customer_id is None:
        return {}
    return dict(ExternalCustomer.objects.filter(customer_id=customer_id)
                .values_list("client_id", "external_id"))


def on_event(event: str, target) -> None:
    from api.outbox import event_write

    if event in RESTRICTION_EVENTS:
        event_write(kind=RESTRICTION_EVENTS[event], data={
            "restriction_id": target.pk, "customer_id": target.customer_id,
            "record_kind": target.kind, "status": target.status,
        }, external_ids=_external_ids(target.customer_id))
    elif event == EventKind.CALLLOG_SUBMITTED:
        contact = target.contact
        event_write(kind=EventKind.CALLLOG_SUBMITTED, data={
            "terminated_call_log_id": target.pk, "contact_id": target.contact_id,
            "customer_id": contact.customer_id, "case_reference": target.case_reference,
        }, external_ids=_external_ids(contact.customer_id))


def on_contact_logged(contact, actor) -> None:
    from api.outbox import event_write

    event_write(kind=EventKind.CONTACT_LOGGED, data={
        "contact_id": contact.pk, "customer_id": contact.customer_id,
        "channel": contact.channel, "direction": contact.direction,
    }, external_ids=_external_ids(contact.customer_id))


def telephony_channel_refusal(contact) -> str | None:
    """A contact the telephone system opened (an inbound call event) is a telephone call."""
    from api.models import CallEvent

    if CallEvent.objects.filter(contact=contact).exists():
        return ("The telephone system recorded this contact as a call: its channel stays "
                "Telephone")
    return None


def register() -> None:
    from api.services_customers import system_actor_check

    if system_actor_check not in extensions.system_actor_checks:
        extensions.system_actor_checks.append(system_actor_check)
    if on_event not in extensions.event_listeners:
        extensions.event_listeners.append(on_event)
    if on_contact_logged not in extensions.contact_logged:
        extensions.contact_logged.append(on_contact_logged)
    if telephony_channel_refusal not in extensions.channel_correction_refusals:
        extensions.channel_correction_refusals.append(telephony_channel_refusal)

"""Writes of the integration API: system clients and their keys (registered by an
Administrator), call events, webhook subscriptions.

As everywhere, the rule and the actor check live here; the API views, the Administrator's
screen and the management command only call these. A Django superuser is not exempt: the
Administrator role is what counts.
"""

import uuid
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.constants import Role
from api import keys
from api.constants import CallDirection, CallEventType, ClientKind, EventKind, Scope
from api.models import CallEvent, SystemClient, WebhookSubscription
from audit.services import audit_record
from contacts.constants import Channel, Direction
from contacts.selectors import customer_lookup
from contacts.services import contact_log

UNIDENTIFIED_CALLER = "Caller not yet identified"
# Staff to whom a call can be put through: the roles that log contacts (7).
AGENT_ROLES = (Role.CASEWORKER, Role.LINE_MANAGER, Role.SENIOR_STAFF, Role.HEAD_OF_DEPARTMENT)


def _require_administrator(actor) -> None:
    if actor is None or not actor.has_role(Role.ADMINISTRATOR):
        raise PermissionDenied("Only an Administrator can register or change system clients.")


def _check_scopes(scopes: list[str]) -> list[str]:
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown or not scopes:
        raise ValidationError({"scopes": "Choose at least one scope from: "
                               + ", ".join(Scope.values)})
    return sorted(set(scopes))


def client_register(*, actor, name: str, kind: str, scopes: list[str],
                    rate_limit_per_minute: int = 600) -> tuple[SystemClient, str]:
    """Register a client system; returns it and its key, which is shown once and never kept."""
    _require_administrator(actor)
    name = name.strip()
    errors = {}
    if not name:
        errors["name"] = "Enter the name of the system"
    elif SystemClient.objects.filter(name__iexact=name).exists():
        errors["name"] = "A client with this name is already registered"
    if kind not in ClientKind.values:
        errors["kind"] = "Choose the kind of system"
    if not 1 <= rate_limit_per_minute <= 100_000:
        errors["rate_limit_per_minute"] = "Enter a rate limit from 1 to 100000 requests a minute"
    if errors:
        raise ValidationError(errors)
    scopes = _check_scopes(scopes)
    prefix, key = keys.new_key()
    with transaction.atomic():
        account = get_user_model().objects.create(
            username=f"system-{uuid.uuid4().hex[:12]}", first_name=name[:150],
            last_name="(system client)", is_active=False)
        account.set_unusable_password()
        account.save(update_fields=["password"])
        client = SystemClient.objects.create(
            name=name, kind=kind, scopes=scopes, key_prefix=prefix, key_hash=keys.key_hash(key),
            rate_limit_per_minute=rate_limit_per_minute, account=account, created_by=actor)
        audit_record(actor=actor, action="systemclient.registered", target=client,
                     changes={"scopes": scopes, "kind": kind})
    return client, key


def _lock(client: SystemClient) -> SystemClient:
    return SystemClient.objects.select_for_update().get(pk=client.pk)


def client_rotate(*, actor, client: SystemClient) -> tuple[SystemClient, str]:
    """A new key; the old one stops working at once. The new key is shown once."""
    _require_administrator(actor)
    with transaction.atomic():
        client = _lock(client)
        if not client.is_active:
            raise ValidationError("This client has been revoked, so its key cannot be rotated.")
        prefix, key = keys.new_key()
        client.key_prefix, client.key_hash = prefix, keys.key_hash(key)
        client.rotated_at = timezone.now()
        client.save(update_fields=["key_prefix", "key_hash", "rotated_at"])
        audit_record(actor=actor, action="systemclient.rotated", target=client)
    return client, key


def client_revoke(*, actor, client: SystemClient) -> SystemClient:
    """The key stops working and the client's webhooks stop; the record stays for the audit."""
    _require_administrator(actor)
    with transaction.atomic():
        client = _lock(client)
        if not client.is_active:
            raise ValidationError("This client has already been revoked.")
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        client.subscriptions.update(active=False)
        audit_record(actor=actor, action="systemclient.revoked", target=client)
    return client


def client_set_scopes(*, actor, client: SystemClient, scopes: list[str]) -> SystemClient:
    _require_administrator(actor)
    scopes = _check_scopes(scopes)
    with transaction.atomic():
        client = _lock(client)
        before = client.scopes
        client.scopes = scopes
        client.save(update_fields=["scopes"])
        audit_record(actor=actor, action="systemclient.scopes_changed", target=client,
                     changes={"scopes": [before, scopes]})
    return client


def _require_scope(client: SystemClient, scope: str) -> None:
    if not client.is_active or not client.has_scope(scope):
        raise PermissionDenied(f"This client does not have the {scope} scope.")


# Call events -------------------------------------------------------------------------------

def _agent_for(agent: str):
    """The member of staff a call is put through to, by username (or extension, which the
    telephony system sends as the username it knows). None if unknown or not an agent."""
    user = get_user_model().objects.filter(username=agent.strip()).first() if agent else None
    if user is None or not user.has_role(*AGENT_ROLES):
        return None
    return user


def call_new(*, client: SystemClient, call_id: str, caller_number: str, called_number: str,
             direction: str, agent: str, at: datetime | None = None) -> tuple[CallEvent, bool]:
    """Record a new call; idempotent by call id (the same call twice is one record).

    A new inbound call to a known agent opens a phone contact for them: linked to the
    customer when exactly one customer has the caller's number, otherwise as a caller not
    yet identified (7; the agent links it once the caller is known)."""
    _require_scope(client, Scope.CALLS)
    if direction not in CallDirection.values:
        raise ValidationError({"direction": "Direction must be 'in' or 'out'"})
    at = at or timezone.now()
    with transaction.atomic():
        call, created = CallEvent.objects.select_for_update().get_or_create(
            client=client, call_id=call_id,
            defaults={"caller_number": caller_number, "called_number": called_number,
                      "direction": direction, "started_at": at})
        if not created:
            return call, False
        staff = _agent_for(agent)
        call.agent = staff
        if staff is not None and direction == CallDirection.INBOUND:
            matches = customer_lookup(caller_number).customers if caller_number else []
            customer = matches[0] if len(matches) == 1 else None
            call.contact = contact_log(
                actor=staff, customer=customer,
                caller_name="" if customer else UNIDENTIFIED_CALLER,
                channel=Channel.PHONE, direction=Direction.INBOUND, started_at=at,
                on_warning="record")  # the call is already happening; the pop warns
        call.save(update_fields=["agent", "contact"])
        audit_record(actor=client.account, action="callevent.new_call", target=call,
                     changes={"client": client.pk, "contact": call.contact_id,
                              "agent": call.agent_id})
    return call, True


def call_progress(*, client: SystemClient, call_id: str, event: str,
                  at: datetime | None = None) -> tuple[CallEvent, bool]:
    """``answered`` or ``hangup`` for a known call; repeating one changes nothing."""
    _require_scope(client, Scope.CALLS)
    field = {CallEventType.ANSWERED: "answered_at", CallEventType.HANGUP: "ended_at"}[event]
    at = at or timezone.now()
    with transaction.atomic():
        call = CallEvent.objects.select_for_update().filter(client=client,
                                                            call_id=call_id).first()
        if call is None:
            raise ValidationError({"call_id": "No new_call has been received with this call id"})
        if getattr(call, field) is not None:
            return call, False
        if at < call.started_at:
            raise ValidationError({"at": "The time must not be before the call started"})
        setattr(call, field, at)
        call.state = event
        call.save(update_fields=[field, "state"])
        audit_record(actor=client.account, action=f"callevent.{event}", target=call,
                     changes={"client": client.pk})
    return call, True


def call_popped(*, call: CallEvent, actor) -> None:
    """The agent's browser has shown the call (the screen-pop poll stops offering it)."""
    if call.agent_id != actor.pk:
        raise PermissionDenied
    CallEvent.objects.filter(pk=call.pk, popped_at__isnull=True).update(popped_at=timezone.now())


# Webhook subscriptions ---------------------------------------------------------------------

def subscription_create(*, client: SystemClient, url: str,
                        events: list[str]) -> tuple[WebhookSubscription, str]:
    """Subscribe ``client`` to ``events`` at ``url``; returns the signing secret (shown once)."""
    _require_scope(client, Scope.WEBHOOKS)
    unknown = sorted(set(events) - set(EventKind.values))
    if unknown or not events:
        raise ValidationError({"events": "Choose at least one event from: "
                               + ", ".join(EventKind.values)})
    if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise ValidationError({"url": "The URL must use https (http only for this machine)"})
    secret = keys.new_webhook_secret()
    with transaction.atomic():
        subscription = WebhookSubscription.objects.create(
            client=client, url=url, events=sorted(set(events)), secret=secret)
        audit_record(actor=client.account, action="webhooksubscription.created",
                     target=subscription, changes={"events": subscription.events})
    return subscription, secret


def subscription_delete(*, client: SystemClient, subscription: WebhookSubscription) -> None:
    _require_scope(client, Scope.WEBHOOKS)
    if subscription.client_id != client.pk:
        raise PermissionDenied
    with transaction.atomic():
        WebhookSubscription.objects.filter(pk=subscription.pk).update(active=False)
        audit_record(actor=client.account, action="webhooksubscription.ended",
                     target=subscription)


# Case file (8.1, 11.2) ---------------------------------------------------------------------

def case_file_confirm(*, client: SystemClient, kind: str, record,
                      case_reference: str) -> tuple[object, bool]:
    """The case system says it has placed ``record`` in the case file of ``case_reference``.

    A terminated-call log is marked through its own service (8.1), an at-risk telephone note
    (11.2) through its own (``report_note_file``); each gets a receipt. Confirming the same
    record again changes nothing (idempotent)."""
    from api.constants import ExportKind
    from api.models import CaseFileReceipt
    from callogs.services import calllog_place_in_case_file

    _require_scope(client, Scope.CASES)
    expected = _case_reference_of(kind, record)
    if case_reference.strip().upper() != expected:
        raise ValidationError({"case_reference":
                               "This record belongs to a different case reference."})
    with transaction.atomic():
        receipt = CaseFileReceipt.objects.select_for_update().filter(
            kind=kind, object_id=record.pk).first()
        if receipt is not None:
            return receipt, False
        if kind == ExportKind.TERMINATED_CALL_LOG:
            calllog_place_in_case_file(log=record, actor=client.account)
        elif record.case_note_filed_at is None:  # 11.2: unless staff filed it already
            from atrisk.services import report_note_file

            report_note_file(report=record, actor=client.account)
        receipt = CaseFileReceipt.objects.create(client=client, kind=kind, object_id=record.pk,
                                                 case_reference=expected)
        audit_record(actor=client.account, action="casefile.placed", target=record,
                     changes={"client": client.pk, "kind": kind})
    return receipt, True


def _case_reference_of(kind: str, record) -> str:
    from api.constants import ExportKind

    if kind == ExportKind.TERMINATED_CALL_LOG:
        return record.case_reference
    return record.case_reference.reference if record.case_reference_id else ""

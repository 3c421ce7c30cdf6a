"""Service matrix entries for the integration API (issue 20). System clients are
registered and changed by an Administrator (the role; a superuser is not exempt). The
API's own calls (call events, webhook subscriptions, case-file confirmations, customer
upserts) are made for an
authenticated system client, not a member of staff: each checks the client's scope itself
(tests/api/test_access.py proves every endpoint x scope x anonymous)."""

from api import services as s
from tests.security.permission_matrix import ADMINISTRATORS
from tests.security.service_matrix import Acts, Read, System

ADMIN = ADMINISTRATORS  # the Administrator role (the world's superuser holds it too)
CLIENT = ("called by the API for an authenticated system client (a key, not a member of "
          "staff); the client's scope is checked in the service: tests/api/test_access.py")

SERVICES = {
    "api.services.client_register": Acts(ADMIN, lambda w, a: s.client_register(
        actor=a, name=f"System of {a.pk}", kind="other", scopes=["lookup"])),
    "api.services.client_rotate": Acts(ADMIN, lambda w, a: s.client_rotate(
        actor=a, client=w.system_client)),
    "api.services.client_revoke": Acts(ADMIN, lambda w, a: s.client_revoke(
        actor=a, client=w.system_client)),
    "api.services.client_set_scopes": Acts(ADMIN, lambda w, a: s.client_set_scopes(
        actor=a, client=w.system_client, scopes=["lookup"])),
    "api.services.call_popped": Acts(frozenset({"caseworker"}), lambda w, a: s.call_popped(
        call=w.call_event, actor=a), why="only the agent the call was put through to"),
    "api.services.call_new": System(CLIENT),
    "api.services.call_progress": System(CLIENT),
    "api.services.subscription_create": System(CLIENT),
    "api.services.subscription_delete": System(CLIENT),
    "api.services.case_file_confirm": System(CLIENT),
    "api.services_customers.customer_upsert": System(CLIENT),
    "api.services_customers.system_actor_check": Read(
        "core.extensions.system_actor_checks: answers whether a client account may keep "
        "customers"),
}

"""The integration API, /api/v1/. Thin: parse, call a selector or service, answer.

Every view needs a client key with the view's one scope (``required_scope``); every call a
client makes, allowed or refused, is written to the audit trail with the client's account
as the actor (no query string: it may hold a phone number or email).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from api import selectors, services
from api.constants import CallEventType, Scope
from api.models import SystemClient, WebhookDelivery, WebhookSubscription
from api.serializers import (
    CallerListSerializer,
    CallerQuerySerializer,
    CallEventInSerializer,
    CallEventOutSerializer,
    DeliverySerializer,
    ProblemSerializer,
    SubscriptionCreatedSerializer,
    SubscriptionInSerializer,
    SubscriptionOutSerializer,
)
from audit.services import audit_record

PROBLEM = OpenApiResponse(ProblemSerializer, description="Problem details (RFC 9457)")
ERRORS = {400: PROBLEM, 401: PROBLEM, 403: PROBLEM, 429: PROBLEM}


class ClientAPIView(APIView):
    """Base of every endpoint: key authentication, one scope, audited, rate-limited."""

    required_scope: str = ""

    @property
    def client(self) -> SystemClient:
        return self.request.auth

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        client = getattr(request, "auth", None)
        if isinstance(client, SystemClient):
            match = request.resolver_match
            audit_record(actor=client.account, action="api.called", target=client,
                         changes={"endpoint": match.url_name if match else "",
                                  "method": request.method, "status": response.status_code})
        return response


class CallerLookupView(ClientAPIView):
    """Screen-pop lookup (12.3): who is calling, and how they may be dealt with."""

    required_scope = Scope.LOOKUP

    @extend_schema(parameters=[CallerQuerySerializer], responses={200: CallerListSerializer,
                                                                   **ERRORS})
    def get(self, request):
        query = CallerQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        kind, value = next((k, v) for k, v in query.validated_data.items() if v)
        result, records = selectors.callers(value, kind=kind)
        return Response(CallerListSerializer(
            {"count": len(records), "more": result.more, "results": records}).data)


def _call_out(call, created: bool) -> dict:
    callers = []
    if call.caller_number:
        _, callers = selectors.callers(call.caller_number, kind="phone")
    contact_link = (selectors.site_url(f"/customers/contacts/{call.contact_id}/")
                    if call.contact_id else None)
    return {"call_id": call.call_id, "state": call.state, "created": created,
            "agent": call.agent.username if call.agent_id else None,
            "contact_id": call.contact_id, "contact_link": contact_link,
            "callers": callers}


class CallEventView(ClientAPIView):
    """new_call / answered / hangup, idempotent by call id."""

    required_scope = Scope.CALLS

    @extend_schema(request=CallEventInSerializer,
                   responses={200: CallEventOutSerializer, 201: CallEventOutSerializer,
                              **ERRORS})
    def post(self, request):
        data = CallEventInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        if d["event"] == CallEventType.NEW_CALL:
            call, created = services.call_new(
                client=self.client, call_id=d["call_id"],
                caller_number=d.get("caller_number", ""),
                called_number=d.get("called_number", ""), direction=d["direction"],
                agent=d.get("agent", ""), at=d.get("at"))
        else:
            call, created = services.call_progress(client=self.client, call_id=d["call_id"],
                                                   event=d["event"], at=d.get("at"))
        return Response(CallEventOutSerializer(_call_out(call, created)).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class SubscriptionListView(ClientAPIView):
    required_scope = Scope.WEBHOOKS

    @extend_schema(responses={200: SubscriptionOutSerializer(many=True), **ERRORS})
    def get(self, request):
        rows = WebhookSubscription.objects.filter(client=self.client, active=True)
        return Response(SubscriptionOutSerializer(rows, many=True).data)

    @extend_schema(request=SubscriptionInSerializer,
                   responses={201: SubscriptionCreatedSerializer, **ERRORS})
    def post(self, request):
        data = SubscriptionInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        subscription, secret = services.subscription_create(client=self.client,
                                                            **data.validated_data)
        body = SubscriptionOutSerializer(subscription).data
        return Response({**body, "secret": secret}, status=status.HTTP_201_CREATED)


class SubscriptionDetailView(ClientAPIView):
    required_scope = Scope.WEBHOOKS

    @extend_schema(responses={204: None, **ERRORS, 404: PROBLEM})
    def delete(self, request, pk: int):
        subscription = get_object_or_404(WebhookSubscription, pk=pk, client=self.client,
                                         active=True)
        services.subscription_delete(client=self.client, subscription=subscription)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeliveryListView(ClientAPIView):
    """The delivery log of this client's webhooks, newest first (at most 100)."""

    required_scope = Scope.WEBHOOKS

    @extend_schema(responses={200: DeliverySerializer(many=True), **ERRORS})
    def get(self, request):
        rows = (WebhookDelivery.objects.filter(subscription__client=self.client)
                .order_by("-created_at")[:100])
        return Response(DeliverySerializer(rows, many=True).data)


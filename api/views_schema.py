"""The OpenAPI schema (for any client key or any signed-in member of staff) and the docs
page for signed-in staff."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import permissions
from rest_framework.authentication import SessionAuthentication

from accounts.rules import is_staff_member
from api.authentication import ApiKeyAuthentication
from api.models import SystemClient


class ClientOrStaff(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        if isinstance(request.auth, SystemClient):
            return request.auth.is_active
        return is_staff_member.test(request.user)


class SchemaView(SpectacularAPIView):
    authentication_classes = [ApiKeyAuthentication, SessionAuthentication]
    permission_classes = [ClientOrStaff]
    renderer_classes = [OpenApiYamlRenderer, OpenApiJsonRenderer]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def schema_dict() -> dict:
    """The schema as the server generates it (the drift test compares it to the file)."""
    return SchemaGenerator(patterns=None).get_schema(request=None, public=True)


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    """The API's endpoints for a signed-in member of staff (no script: passes the CSP)."""
    if not is_staff_member.test(request.user):
        raise PermissionDenied
    schema = schema_dict()
    endpoints = []
    for route, methods in schema["paths"].items():
        for method, op in methods.items():
            endpoints.append({"method": method.upper(), "path": route,
                              "summary": op.get("description", "").split("\n")[0],
                              "scope": op.get("tags", [""])[0]})
    return render(request, "api/docs.html", {"schema": schema, "endpoints": endpoints})

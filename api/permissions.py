"""Scopes: each API view names the one scope it needs (``required_scope``); deny by default."""

from rest_framework import permissions

from api.models import SystemClient


class HasScope(permissions.BasePermission):
    message = "This client does not have the scope this endpoint needs."

    def has_permission(self, request, view) -> bool:
        client = request.auth
        if not isinstance(client, SystemClient):
            return False
        scope = getattr(view, "required_scope", None)
        return bool(scope) and client.is_active and client.has_scope(scope)

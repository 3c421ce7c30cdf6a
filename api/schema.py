"""drf-spectacular: the API key as a bearer security scheme."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "Authorization: Bearer chk_<prefix>_<secret>"}


class ScopedAutoSchema(AutoSchema):
    """Each endpoint is tagged with the one scope it needs."""

    def get_tags(self) -> list[str]:
        scope = getattr(self.view, "required_scope", "")
        return [str(scope)] if scope else super().get_tags()

"""Response headers Django's SecurityMiddleware does not set (issue 19, finding 11)."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """``Permissions-Policy``: every powerful browser feature off (the service uses none)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_OFF)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.value)
        return response

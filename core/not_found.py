"""The service's own 404 page under DEBUG too (issue 25).

With ``DEBUG`` on (``make run``), Django answers an unknown address with its technical page,
which lists every URL pattern of the service. This middleware puts the service's own page in
its place unless ``DEBUG_404_PATTERNS`` asks for Django's (a developer hunting a route).
"""

from django.conf import settings


class ServiceNotFoundPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code == 404 and settings.DEBUG
                and not settings.DEBUG_404_PATTERNS
                and getattr(request, "resolver_match", None) is None):
            from core.views import page_not_found

            return page_not_found(request)
        return response

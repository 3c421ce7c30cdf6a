"""Per-client rate limit: ``rate_limit_per_minute`` requests in a sliding minute; over it the
API answers 429 with ``Retry-After`` (DRF adds the header from ``wait()``)."""

from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from api.models import SystemClient


class ClientRateThrottle(SimpleRateThrottle):
    scope = "client"
    cache = caches["api"]

    def __init__(self) -> None:  # the rate comes from the client, not from settings
        self.rate = "600/min"
        self.num_requests, self.duration = 600, 60

    def allow_request(self, request, view) -> bool:
        client = request.auth
        if not isinstance(client, SystemClient):
            return True  # refused by authentication or permission anyway
        self.num_requests = client.rate_limit_per_minute
        self.rate = f"{self.num_requests}/min"
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        return f"throttle:client:{request.auth.pk}"

"""Per-client rate limit: ``rate_limit_per_minute`` requests in a sliding minute; over it the
API answers 429 with ``Retry-After`` (DRF adds the header from ``wait()``)."""

from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from api.models import SystemClient


class ClientRateThrottle(SimpleRateThrottle):
    scope = "client"

    @property
    def cache(self):
        # Looked up per request, not once at import: a class attribute kept whichever cache
        # the settings named when the module was first imported, so the test suite's
        # workers, each given a Redis database of its own after Django had started, shared
        # one, and one worker's cache.clear() (FLUSHDB) wiped another's rate history.
        return caches["api"]

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

"""``Authorization: Bearer chk_<prefix>_<secret>``: the client's hashed API key (see
docs/DECISIONS.md for why keys rather than OAuth client credentials)."""

from django.utils import timezone
from rest_framework import authentication, exceptions

from api import keys
from api.models import SystemClient

LAST_USED_GRANULARITY_SECONDS = 60


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``request.user`` is the client's system account and ``request.auth`` the client."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        scheme, _, key = header.partition(" ")
        if scheme != self.keyword:
            return None
        key = key.strip()
        prefix = keys.split_key(key)
        client = (SystemClient.objects.select_related("account").filter(key_prefix=prefix)
                  .first() if prefix else None)
        if client is None or not keys.key_matches(key, client.key_hash):
            raise exceptions.AuthenticationFailed("The API key is not valid.")
        if not client.is_active:
            raise exceptions.AuthenticationFailed("This client has been revoked.")
        now = timezone.now()
        if (client.last_used_at is None
                or (now - client.last_used_at).total_seconds() > LAST_USED_GRANULARITY_SECONDS):
            SystemClient.objects.filter(pk=client.pk).update(last_used_at=now)
        return client.account, client

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'

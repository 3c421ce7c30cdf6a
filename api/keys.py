"""API keys: ``chk_<prefix>_<secret>``. The prefix finds the client; a SHA-256 of the whole
key is compared in constant time. Webhook signatures: HMAC-SHA256 over ``timestamp.body``."""

import hashlib
import hmac
import secrets

from api.constants import KEY_PREFIX_BYTES, KEY_SECRET_BYTES, WEBHOOK_SECRET_BYTES

KEY_START = "chk_"


def new_key() -> tuple[str, str]:
    """A fresh (prefix, full key). Only ``key_hash(key)`` is stored."""
    prefix = secrets.token_hex(KEY_PREFIX_BYTES)
    return prefix, f"{KEY_START}{prefix}_{secrets.token_urlsafe(KEY_SECRET_BYTES)}"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def split_key(key: str) -> str | None:
    """The prefix of a well-formed key, else None."""
    if not key.startswith(KEY_START):
        return None
    prefix, _, secret = key[len(KEY_START):].partition("_")
    if len(prefix) != KEY_PREFIX_BYTES * 2 or not secret:
        return None
    return prefix


def key_matches(key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(key_hash(key), stored_hash)


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(WEBHOOK_SECRET_BYTES)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``v1=<hex HMAC-SHA256 of "<timestamp>." + body>``, as sent in ``Webhook-Signature``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def signature_valid(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    return hmac.compare_digest(signature(secret, timestamp, body), header)

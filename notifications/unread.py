"""The header's unread count without a database query on most pages (issue 23).

Each user's count is kept in the shared cache (Redis when there is one) with the inbox
generation it was counted at. Marking entries read forgets that user's count; a sweep that
delivered or escalated anything moves the generation on, so every count is taken again once
(the sweep runs each minute at most). Both happen after the transaction commits. Without Redis
each process has its own cache and keeps a count at most a minute (the ``shared`` cache's
timeout), the sweep's own interval.
"""

from django.core.cache import caches
from django.db import transaction

GENERATION = "inbox-generation"


def _cache():
    return caches["shared"]


def _key(user_id: int) -> str:
    return f"inbox-unread:{user_id}"


def unread_count(user) -> int:
    from notifications.models import InboxEntry

    cache = _cache()
    key = _key(user.pk)
    kept = cache.get_many([GENERATION, key])
    generation = kept.get(GENERATION, 0)
    if key in kept and kept[key][0] == generation:
        return kept[key][1]
    count = InboxEntry.objects.filter(recipient=user, read_at__isnull=True).count()
    cache.set(key, (generation, count))
    return count


def forget_user(user_id: int) -> None:
    """Now (this request's own next count sees the change) and again after the commit (a
    count another request took meanwhile, from before the commit, is not kept)."""
    _cache().delete(_key(user_id))
    transaction.on_commit(lambda: _cache().delete(_key(user_id)))


def forget_everyone() -> None:
    def bump():
        cache = _cache()
        if not cache.add(GENERATION, 1, timeout=None):
            try:
                cache.incr(GENERATION)
            except ValueError:  # expired between add and incr
                cache.set(GENERATION, 1, timeout=None)

    transaction.on_commit(bump)


def clear() -> None:
    """Forget every kept count (tests: a new test database reuses user ids)."""
    cache = _cache()
    client = getattr(cache, "_cache", None)
    if hasattr(client, "get_client"):  # Redis: only this cache's keys, not the broker's
        redis = client.get_client(write=True)
        keys = list(redis.scan_iter(match=cache.make_key("inbox-*")))
        if keys:
            redis.delete(*keys)
    else:
        cache.clear()

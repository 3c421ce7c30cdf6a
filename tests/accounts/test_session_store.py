"""``accounts.sessions`` (issue 23, the floor): Django's database sessions, read by one
plain statement. What a session read must do, as Django's own engine does it."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _saved(**data) -> str:
    store = SessionStore()
    store.update(data)
    store.create()
    return store.session_key


def test_it_is_the_engine_in_use():
    assert settings.SESSION_ENGINE == "accounts.sessions"


def test_a_session_loads_in_one_query_what_was_saved(django_assert_num_queries):
    key = _saved(colour="blue", n=3)
    with django_assert_num_queries(1):
        loaded = SessionStore(key).load()
    assert loaded == {"colour": "blue", "n": 3} == DjangoStore(key).load()


@pytest.mark.parametrize("key", ["expired", "unknown", None])
def test_an_expired_or_unknown_session_loads_nothing_and_gets_a_new_key(key):
    if key == "expired":
        key = _saved(colour="red")
        Session.objects.filter(session_key=key).update(
            expire_date=timezone.now() - timedelta(seconds=1))
    elif key == "unknown":
        key = "x" * 32
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None  # a save makes a new session, never reuses the key
    store["after"] = 1
    store.save()
    assert store.session_key not in (None, key)


def test_saving_renewing_and_deleting_are_djangos_own():
    key = _saved(colour="green")
    store = SessionStore(key)
    store["colour"] = "amber"
    store.save()
    assert SessionStore(key).load() == {"colour": "amber"}
    store.delete()
    assert SessionStore(key).load() == {}

"""Shared fixtures: fast password hashing, users by role, signed-in clients.

Also what lets ``make test`` run fast (docs/DEVELOPERS.md, "Test suite speed"): WhiteNoise's
index of static files built once per process instead of once per test client, and, under
pytest-xdist, a Redis database of its own for each worker (each already has its own test
database from pytest-django).
"""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations
from django.test import Client
from django.urls import reverse
from whitenoise.middleware import WhiteNoiseMiddleware

from config.celery import app as celery_app
from tests.accounts.factories import UserFactory
from tests.otp import verify_client_session

# WhiteNoise indexes every static file (about 2,000: GOV.UK Frontend's fonts and images, our
# own static/) when its middleware is built, which costs 0.15-0.3 s. Django's test Client
# builds the whole middleware chain afresh for each new client, and the suite makes well over
# a thousand clients, so the same index was built again and again: about a third of the
# suite's CPU time. Here the first build in a process is kept and later middleware instances
# share it, for as long as the settings that shape the index are unchanged (a test that
# overrides one of them gets a fresh index). Requests are still answered by WhiteNoise.
_STATIC_INDEX_SETTINGS = ("DEBUG", "FORCE_SCRIPT_NAME", "STATIC_ROOT", "STATIC_URL",
                          "STATICFILES_DIRS", "STATICFILES_FINDERS", "STORAGES")
_static_indexes: dict[str, tuple[dict, list]] = {}
_build_static_index = WhiteNoiseMiddleware.__init__


def _static_index_key(settings) -> str:
    names = [*_STATIC_INDEX_SETTINGS,
             *sorted(name for name in dir(settings) if name.startswith("WHITENOISE_"))]
    return repr([(name, getattr(settings, name, None)) for name in names])


def _shared_static_index(self, get_response=None, settings=django_settings):
    key = _static_index_key(settings)
    if key not in _static_indexes:
        _build_static_index(self, get_response, settings)
        _static_indexes[key] = (self.files, list(self.directories))
        return
    # Skip the directory walks (per instance, so the live server's thread is unaffected).
    self.add_files = self.add_files_from_finders = lambda *args, **kwargs: None
    try:
        _build_static_index(self, get_response, settings)
    finally:
        del self.add_files, self.add_files_from_finders
    files, directories = _static_indexes[key]
    self.files, self.directories = files, list(directories)


WhiteNoiseMiddleware.__init__ = _shared_static_index


# A transactional test (``transaction=True``, every browser test) ends with Django's flush,
# which on PostgreSQL is one TRUNCATE of every table: each of the ~70 tables and each of their
# indexes gets a new file, 2-3 s on the shared 2-core machine although almost all of them are
# empty. A DELETE of every table leaves the same empty tables (sequences go on either way) in
# a few hundredths of a second. As with TRUNCATE, no row trigger fires (the audit table's
# append-only trigger, the report counts' triggers) and no foreign key is checked while the
# tables are emptied: ``session_replication_role = replica``, for this transaction only, which
# needs a superuser (the test databases' owner here); otherwise, and when the flush is to
# restart sequences or cascade, Django's own TRUNCATE runs.
_truncate_sql_flush = PostgresOperations.sql_flush


def _delete_sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    if tables and not reset_sequences and not allow_cascade:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('is_superuser')")
            superuser = cursor.fetchone()[0] == "on"
        if superuser:  # executed in one transaction (execute_sql_flush), so SET LOCAL holds
            return ["SET LOCAL session_replication_role = replica",
                    *(f"DELETE FROM {self.quote_name(table)};"  # noqa: S608 (table names)
                      for table in tables),
                    "SET LOCAL session_replication_role = DEFAULT"]
    return _truncate_sql_flush(self, style, tables, reset_sequences=reset_sequences,
                               allow_cascade=allow_cascade)


PostgresOperations.sql_flush = _delete_sql_flush


def _worker_redis_url(url: str, worker: int) -> str:
    """The Redis URL of xdist worker ``worker``: the suite's database number minus ``worker``.

    Worker gw0 keeps the configured database, so ``TEST_REDIS_URL`` still names the suite's
    Redis database (redis://.../15 gives gw0 15 and gw1 14). Downwards, because Redis has
    databases 0-15 only and 15 is the Makefile's default.
    """
    parts = urlsplit(url)
    db = int(parts.path.strip("/") or 0) - worker
    if db < 0:
        raise pytest.UsageError(
            f"REDIS_URL {url} leaves no Redis database for xdist worker gw{worker}: "
            "give the suite a higher database number or fewer workers")
    return urlunsplit(parts._replace(path=f"/{db}"))


def pytest_configure(config):
    """Under pytest-xdist, each worker gets a Redis database of its own.

    The reliability tests empty their Redis database and start Celery workers that take any
    task queued there, and a transactional test that schedules an immediate reminder queues
    a sweep; two pytest workers sharing one database would empty or take each other's
    queue. Settings were read before this runs, so the broker URL is set where it was
    copied: the environment (for worker subprocesses), the settings and the Celery app.
    """
    url = os.environ.get("REDIS_URL", "")
    if not url.startswith("redis"):
        return
    worker = getattr(config, "workerinput", {}).get("workerid")  # "gw0", "gw1", ...
    if worker is None:  # one process, or the xdist controller: check every worker fits
        workers = config.getoption("numprocesses", default=0) or 0
        if workers > 1:
            _worker_redis_url(url, workers - 1)
        return
    suite_url = url
    url = _worker_redis_url(url, int(worker.removeprefix("gw")))
    os.environ["REDIS_URL"] = url
    django_settings.REDIS_URL = django_settings.CELERY_BROKER_URL = url
    # The Redis caches too (the kept unread counts, the API's): user ids repeat across the
    # workers' databases, so one worker must never read another's kept count.
    for cache in django_settings.CACHES.values():
        if cache.get("LOCATION") == suite_url:
            cache["LOCATION"] = url
    celery_app.conf.broker_url = url


_tests_started: list[str] = []  # in the xdist controller, the workers' reports arrive here


def pytest_runtest_logreport(report):
    if report.when == "setup":
        _tests_started.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    """A run in which no test ran fails, with pytest's "no tests" status (5), under xdist too.

    pytest-xdist 3.8 ends with status 0 and "no tests ran" when its workers crash while
    starting, before any test ran (pytest-dev/pytest-xdist#814); one process would have
    failed.
    """
    if (not hasattr(session.config, "workerinput") and exitstatus == pytest.ExitCode.OK
            and not _tests_started):
        session.exitstatus = pytest.ExitCode.NO_TESTS_COLLECTED


# A transactional test ends by emptying every table, and with them the role groups that
# migration accounts/0002 made; under xdist any test may follow one on the same worker. So
# the groups are recorded here, right after the test database is migrated and before any
# test could empty it, for the test that proves the migration makes them.
_groups_after_migrate: set[str] = set()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _groups_after_migrate.update(Group.objects.values_list("name", flat=True))
        _record_fresh_tables()


def _record_fresh_tables() -> None:
    """The tables migrate left rows in, for tests.demo_data (the demo data copied back only
    into a database that holds no other rows)."""
    from django.db import connection

    from tests import demo_data

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            demo_data.fresh_tables.update(
                demo_data._tables_with_rows(cursor, demo_data._tables(cursor)))


@pytest.fixture
def groups_after_migrate(django_db_setup) -> set[str]:
    """The names of the groups in the test database as migrate left it."""
    return set(_groups_after_migrate)


@pytest.fixture(scope="session", autouse=True)
def _documents_store(tmp_path_factory):
    """Stored PDFs (documents/) go to a folder of this test process, never var/documents."""
    from django.test import override_settings

    storages = {**django_settings.STORAGES, "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path_factory.mktemp("documents"))}}}
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(autouse=True)
def _no_kept_unread_counts():
    """The header's unread counts are kept in the shared cache by user id, and a new test
    database reuses the ids (issue 23): each test starts with none kept."""
    from notifications import unread

    unread.clear()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db):
    """Build a user with roles: ``make_user("Caseworker", line_manager=manager)``."""

    def _make(*roles: str, **kwargs):
        return UserFactory(roles=roles, **kwargs)

    return _make


@pytest.fixture
def client_for():
    """A test client signed in as ``user`` (two-factor verified where the role needs it)."""

    def _client(user) -> Client:
        client = Client()
        client.force_login(user)
        verify_client_session(client, user)
        # One request first, as a browser's first page after signing in: it keeps the role
        # names in the session, renews it and counts the unread messages (issue 23), so the
        # test's own requests cost what every later request costs.
        client.get(reverse("core:help_index"))
        return client

    return _client

"""THE service permission matrix (issue 17): who may call every public service function.

The URL matrix (``tests/security/permission_matrix.py``) proves the screens; this one proves
the boundary underneath them, so the API, the admin, a task or a shell meets the same rules.
Every public function of every ``services*.py`` module of every project app must have one
entry here; ``tests/security/test_service_matrix.py`` finds them by introspection, so a new
service without an entry fails the test (deny by default).

One module per app (``tests/security/service_matrix/<app>.py``) holds a dict ``SERVICES``
from the function's dotted name to one of:

``Acts(allowed, call)``
    A change made on behalf of a member of staff. ``call(world, actor)`` makes the call with
    valid input against a record of ``tests.security.world.World``; every actor in
    ``allowed`` must succeed and every other actor (``world.ACTORS``) must be refused with
    ``PermissionDenied``. A ``ValidationError`` for an actor outside ``allowed`` fails the
    test: a "who may act" rule is a permission, not a form error. ``invalid_for`` names
    allowed actors whose call this world's data makes invalid (they must get
    ``ValidationError``, not ``PermissionDenied``).
``System(why)``
    Run by the beat, a worker, or another service's hook after that service has checked
    its own actor; no member of staff calls it directly. Say which.
``Read(why)``
    Computes or reads and changes nothing (a deadline, a list of people, a key).

Each call runs inside a savepoint that is rolled back, with fresh records, so calls cannot
see each other's changes.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Acts:
    allowed: frozenset
    call: Callable[[Any, Any], Any]
    why: str = ""
    # Allowed actors for whom this world's data makes the call invalid (a ValidationError,
    # never PermissionDenied), e.g. someone with no line manager to tell. Say why.
    invalid_for: frozenset = frozenset()


@dataclass(frozen=True)
class System:
    why: str


@dataclass(frozen=True)
class Read:
    why: str


Entry = Acts | System | Read


def collect() -> dict[str, Entry]:
    """Every app module's ``SERVICES``, merged; a name declared twice is an error."""
    merged: dict[str, Entry] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name, entry in module.SERVICES.items():
            if name in merged:
                raise AssertionError(f"{name} is declared twice in the service matrix")
            merged[name] = entry
    return merged

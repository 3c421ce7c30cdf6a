"""Proof (issue 17): every public service function x every role and relationship.

Independent of views: each ``Acts`` entry of ``tests/security/service_matrix`` is called
directly for every actor of ``World``. Allowed actors must succeed; everyone else must get
``PermissionDenied``. The functions are found by introspecting every service module of
every project app (``services*.py``, ``*services.py`` / ``*_services.py``, and the short list
``OTHER_SERVICE_MODULES`` of modules that act but are named otherwise), so a new service that
is not declared fails here.
"""

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from tests.security.service_matrix import Acts, Read, System, collect
from tests.security.world import ACTORS, World

pytestmark = pytest.mark.django_db

MATRIX = collect()

# Modules that hold services but whose names do not say so (keep this list short; prefer
# naming a new module ``<thing>_services.py``).
OTHER_SERVICE_MODULES = ("contacts.importing",)


def _is_service_module(name: str) -> bool:
    return name.startswith("services") or name.endswith("services")


def _public_functions(module) -> dict[str, object]:
    return {f"{module.__name__}.{name}": func
            for name, func in inspect.getmembers(module, inspect.isfunction)
            if func.__module__ == module.__name__ and not name.startswith("_")}


def project_services() -> dict[str, object]:
    """``{"app.services.func": func}`` for every public function of every services module."""
    root = Path(settings.BASE_DIR).resolve()
    found = {}
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if root not in path.parents or ".venv" in path.parts:
            continue
        for info in pkgutil.iter_modules([str(path)]):
            if not _is_service_module(info.name):
                continue
            module = importlib.import_module(f"{config.name}.{info.name}")
            found.update(_public_functions(module))
            if info.ispkg:  # a services/ package: its submodules too
                for sub in pkgutil.iter_modules(module.__path__):
                    found.update(_public_functions(
                        importlib.import_module(f"{module.__name__}.{sub.name}")))
    for dotted in OTHER_SERVICE_MODULES:
        found.update(_public_functions(importlib.import_module(dotted)))
    return found


def test_introspection_finds_the_services():
    """The walk itself can fail: it must see the services we know exist."""
    found = project_services()
    assert "restrictions.services.restriction_approve" in found
    assert "restrictions.services_followup.appeal_decide" in found
    assert "contacts.services.contact_log" in found
    assert "contacts.customer_services.customer_create" in found
    assert any(name.startswith("contacts.merge_services.") for name in found)
    assert any(name.startswith("contacts.link_services.") for name in found)
    assert any(name.startswith("contacts.needs_services.") for name in found)
    assert any(name.startswith("contacts.importing.") for name in found)
    assert not any(name.split(".")[-1].startswith("_") for name in found)


def test_every_service_is_in_the_matrix():
    """Deny by default: a new service fails here until its entry says who may call it."""
    found = project_services()
    missing = sorted(set(found) - set(MATRIX))
    assert not missing, (
        "public service functions missing from tests/security/service_matrix/<app>.py "
        f"(see docs/DEVELOPERS.md, 'The service matrix'): {missing}")
    stale = sorted(set(MATRIX) - set(found))
    assert not stale, f"service matrix names no function: {stale}"


def test_every_exemption_says_why():
    for name, entry in MATRIX.items():
        if isinstance(entry, System | Read):
            assert len(entry.why.strip()) > 10, f"{name}: say why it takes no actor check"
        else:
            assert isinstance(entry, Acts), name
            assert entry.allowed <= set(ACTORS), f"{name}: unknown actors {entry.allowed}"
            assert entry.invalid_for <= entry.allowed, f"{name}: invalid_for must be allowed"
            assert not entry.invalid_for or entry.why, f"{name}: say why it is invalid for some"


def _fresh(base: World) -> World:
    world = World.__new__(World)
    world.__dict__.update({name: base.__dict__[name] for name in ACTORS})
    return world


def _outcome(entry: Acts, world: World, actor_name: str) -> str:
    actor = world.actor(actor_name)
    savepoint = transaction.savepoint()
    try:
        entry.call(world, actor)
    except PermissionDenied:
        return "refused"
    except ValidationError as error:
        return f"invalid: {error.messages}"
    finally:
        transaction.savepoint_rollback(savepoint)
    return "done"


def test_service_matrix():
    base = World()
    wrong = []
    for name, entry in sorted(MATRIX.items()):
        if not isinstance(entry, Acts):
            continue
        for actor_name in ACTORS:
            # each actor sees the same starting records: the world is rebuilt per call
            outcome = _outcome(entry, _fresh(base), actor_name)
            if actor_name in entry.invalid_for:
                if not outcome.startswith("invalid"):
                    wrong.append(f"{name}: {actor_name} should get a ValidationError, got "
                                 f"{outcome}")
            elif actor_name in entry.allowed and outcome != "done":
                wrong.append(f"{name}: {actor_name} may call it but got {outcome}")
            elif actor_name not in entry.allowed and outcome != "refused":
                wrong.append(f"{name}: {actor_name} may not call it but got {outcome}")
    assert not wrong, "\n".join(wrong)

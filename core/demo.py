"""Demo data loaders, run in order by ``manage.py load_demo``.

Each app registers its loader in ``AppConfig.ready`` with an order, so one command fills
every screen: ``core.demo.register(20, load_customers)``. Loaders must be safe to run again.
"""

from collections.abc import Callable

_LOADERS: list[tuple[int, str, Callable[[], None]]] = []


def register(order: int, loader: Callable[[], None]) -> None:
    """Add ``loader`` (no arguments) to run after every loader with a lower ``order``."""
    name = f"{loader.__module__}.{loader.__qualname__}"
    if all(existing != name for _, existing, _ in _LOADERS):
        _LOADERS.append((order, name, loader))
        _LOADERS.sort(key=lambda entry: (entry[0], entry[1]))


def loaders() -> list[Callable[[], None]]:
    return [loader for _, _, loader in _LOADERS]

"""Demo data loaders, run in order by ``manage.py load_demo``.

Each app adds its loader here as it lands, so one command fills every screen.
"""

from collections.abc import Callable

LOADERS: list[Callable[[], None]] = []

"""The same team as the call-log tests."""

from tests.callogs.conftest import team  # noqa: F401

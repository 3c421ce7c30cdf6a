"""A kind that escalates, like a callback (7.3), registered for these tests only."""

from datetime import timedelta

from notifications import kinds

CALLBACK = kinds.register(kinds.Kind(
    name="test_callback", label="Callback due", paragraph="7.3",
    escalate_after=timedelta(hours=1),
))

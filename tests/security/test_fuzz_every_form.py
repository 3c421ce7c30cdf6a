"""Issue 19, finding 4: every form and every query parameter, fuzzed; never a server error.

For every URL of the permission matrix, an actor allowed to use it opens the page; every
field of every form on it (a date's day, month and year boxes included) and every query
parameter any view reads (found in the views' source, so a new ``request.GET.get("x")`` is
fuzzed without anyone listing it) get hypothesis-generated values: unicode, NUL, very long
text, 20-digit numbers, superscript and Arabic-Indic digits ("²", "٣"), impossible dates.
The answer must be a page, a redirect, a refusal or a 400: Django's test client re-raises
any exception a view lets escape, so a would-be 500 fails the test with its traceback.

Runs on whichever database ``DATABASE_URL`` names: PostgreSQL in CI, and on SQLite with
``make fuzz-sqlite`` (see docs/SECURITY.md).
"""

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django import forms
from django.conf import settings
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.security.permission_matrix import MATRIX
from tests.security.urlwalk import url_for
from tests.security.world import World

pytestmark = pytest.mark.django_db

FUZZ = hsettings(max_examples=5, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.function_scoped_fixture,
                                        HealthCheck.too_slow])
# Whose turn it is to use a URL: the first of these the matrix allows.
PREFERENCE = ("caseworker", "manager", "senior", "hod", "compliance", "admin", "peer",
              "other_manager", "other_hod")
OK = (200, 204, 301, 302, 400, 403, 404, 405, 409)
SKIP = {"accounts:logout"}  # signing out ends the session the rest of the walk needs
_READS = re.compile(r"request\.(?:GET|POST)(?:\.get|\.getlist)?[\(\[]\s*[\"'](\w+)[\"']"
                    r"|[\"'](\w+)[\"']\s+in\s+request\.(?:GET|POST)")

hostile = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=12).map(
        lambda s: s + "\x00"),
    st.integers(min_value=-10**20, max_value=10**20).map(str),
    st.sampled_from(["", " ", "²", "٣", "1²", "99999999999999999999", "9" * 40, "0", "-1",
                     "1e309", "NaN", "x" * 5000, "2026-02-30", "2026-02-30T25:61",
                     "31/02/2026 10:00", "99999999999999999999-01-01", "\u202e", "\u2066"]),
)


def query_parameters() -> list[str]:
    """Every name a view reads from ``request.GET`` or ``request.POST`` by hand."""
    root = Path(settings.BASE_DIR)
    names = set()
    for path in root.glob("*/views*.py"):
        for match in _READS.finditer(path.read_text()):
            names.add(match.group(1) or match.group(2))
    for path in root.glob("*/views/*.py"):
        for match in _READS.finditer(path.read_text()):
            names.add(match.group(1) or match.group(2))
    return sorted(names)


def _forms_in(context) -> list[forms.BaseForm]:
    contexts = context if isinstance(context, list) else [context] if context else []
    return [value for ctx in contexts for layer in ctx.dicts for value in layer.values()
            if isinstance(value, forms.BaseForm)]


def _field_names(context) -> list[str]:
    """The names every form on the page posts, a multi-part widget's parts included."""
    names = set()
    for form in _forms_in(context):
        for name, field in form.fields.items():
            key = form.add_prefix(name)
            names.add(key)
            if isinstance(field.widget, forms.MultiWidget):
                names.update(f"{key}_{i}" for i in range(len(field.widget.widgets)))
    return sorted(names)


def _actor(rule) -> str | None:
    return next((a for a in PREFERENCE if a in rule.allowed), None)


URLS = sorted(name for name, rule in MATRIX.items() if name not in SKIP and _actor(rule))


def test_the_views_read_query_parameters():
    """The source scan finds what views read (so the fuzzing below reaches them)."""
    found = query_parameters()
    assert {"contact", "page", "kind", "apply", "next"} <= set(found), found


@pytest.mark.parametrize("name", URLS)
def test_every_form_and_query_parameter(name, client_for):
    world = World()
    rule = MATRIX[name]
    url = url_for(name, rule, world)
    client = client_for(world.actor(_actor(rule)))
    page = client.get(url)
    assert page.status_code != 500
    fields = _field_names(page.context)
    params = query_parameters()

    @FUZZ
    @given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(fields + params, hostile)),
           query=st.fixed_dictionaries({}, optional=dict.fromkeys(params, hostile)))
    def fuzz(data, query):
        # Each example in a savepoint: what one changes (or breaks) cannot reach the next.
        with transaction.atomic():
            for response in (client.get(url, query),
                             client.post(url, data, QUERY_STRING=urlencode(query))):
                assert response.status_code in OK, (name, response.status_code)
            transaction.set_rollback(True)

    fuzz()

"""``core.routes.cached_reverse`` and ``{% route %}`` (issue 23, the floor): the same answer
as ``reverse`` for everything ``reverse`` reads, worked out once per process."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix, set_urlconf
from django.utils import translation

from core import routes


def test_the_same_answer_as_reverse_and_asked_once(monkeypatch):
    routes._reverse.cache_clear()
    calls = []
    real = routes.reverse
    monkeypatch.setattr(routes, "reverse", lambda *a, **k: calls.append(a) or real(*a, **k))
    for _ in range(3):
        assert routes.cached_reverse("core:help_index") == reverse("core:help_index")
        assert routes.cached_reverse("core:help", "lookup") == reverse("core:help",
                                                                      args=["lookup"])
    assert len(calls) == 2


def test_a_script_prefix_a_language_and_a_requests_urlconf_are_part_of_the_answer():
    routes._reverse.cache_clear()
    assert routes.cached_reverse("core:help_index") == "/help/"
    set_script_prefix("/contact/")
    try:
        assert routes.cached_reverse("core:help_index") == "/contact/help/"
    finally:
        set_script_prefix("/")
    assert routes.cached_reverse("core:help_index") == "/help/"
    with translation.override("cy"):
        assert routes.cached_reverse("core:help_index") == reverse("core:help_index")
    set_urlconf("tests.core.urls_elsewhere")  # a request's own URLconf (request.urlconf)
    try:
        assert routes.cached_reverse("core:help_index") == "/elsewhere/help/"
    finally:
        set_urlconf(None)
    assert routes.cached_reverse("core:help_index") == "/help/"


def test_the_route_tag_gives_the_url_and_refuses_a_name_that_does_not_exist():
    html = Template("{% load routes %}<a href=\"{% route 'core:help' slug %}\">").render(
        Context({"slug": "lookup"}))
    assert html == f'<a href="{reverse("core:help", args=["lookup"])}">'
    with pytest.raises(NoReverseMatch):
        Template("{% load routes %}{% route 'core:no_such_page' %}").render(Context())

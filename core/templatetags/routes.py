"""``{% route "namespace:name" arg ... %}``: ``{% url %}`` for the links every page shows,
reversed once per process (``core.routes``). Use it where the same URL is on every page;
``{% url %}`` stays right everywhere else."""

from django import template

from core.routes import cached_reverse

register = template.Library()


@register.simple_tag
def route(viewname: str, *args) -> str:
    return cached_reverse(viewname, *(str(arg) for arg in args))

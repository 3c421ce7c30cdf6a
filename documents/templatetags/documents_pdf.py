"""Filters for the PDF templates."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def css_string(value) -> str:
    """``value`` safe inside a double-quoted CSS string in a ``<style>`` element.

    HTML escaping is wrong there (a ``<style>`` element does not decode ``&#x27;``), so
    escape what CSS needs instead, and ``<`` so no ``</style>`` can end the element.
    """
    text = str(value)
    for char, escaped in (("\\", "\\\\"), ('"', '\\"'), ("<", "\\3C "), ("\n", " "),
                          ("\r", " ")):
        text = text.replace(char, escaped)
    return mark_safe(text)  # noqa: S308 - escaped for its CSS context above

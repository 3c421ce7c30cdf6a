"""Render the panels and actions other apps register in ``core.extensions``."""

from django import template
from django.template.loader import render_to_string

from core import extensions

register = template.Library()

_PANELS = {
    "customer_banners": extensions.customer_banners,
    "contact_banners": extensions.contact_banners,
}
_ACTIONS = {
    "customer_actions": extensions.customer_actions,
    "contact_actions": extensions.contact_actions,
}


@register.simple_tag(takes_context=True)
def render_panels(context, point: str, obj) -> str:
    """``{% render_panels "customer_banners" customer %}``"""
    request = context["request"]
    html = [
        render_to_string(panel.template, {**panel.context, "request": request}, request=request)
        for panel in extensions.collect(_PANELS[point], request, obj)
    ]
    from django.utils.safestring import SafeString

    return SafeString("".join(html))  # each part was rendered (and escaped) by a template


@register.simple_tag(takes_context=True)
def collect_actions(context, point: str, obj) -> list:
    """``{% collect_actions "contact_actions" contact as actions %}``"""
    return extensions.collect(_ACTIONS[point], context["request"], obj)

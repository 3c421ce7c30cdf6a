"""Render the panels and actions other apps register in ``core.extensions``."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from core import extensions

register = template.Library()

_PANELS = {
    "customer_banners": extensions.customer_banners,
    "contact_banners": extensions.contact_banners,
    "customer_sections": extensions.customer_sections,
}
_ACTIONS = {
    "customer_actions": extensions.customer_actions,
    "contact_actions": extensions.contact_actions,
}


@register.simple_tag(takes_context=True)
def render_panels(context, point: str, obj) -> str:
    """``{% render_panels "customer_banners" customer %}``"""
    request = context["request"]
    html = SafeString()
    for panel in extensions.collect(_PANELS[point], request, obj):
        # render_to_string returns SafeString (the template escaped its data); adding two
        # SafeStrings keeps them safe without marking anything safe by hand.
        html += render_to_string(panel.template, {**panel.context, "request": request},
                                 request=request)
    return html


@register.simple_tag(takes_context=True)
def collect_actions(context, point: str, obj) -> list:
    """``{% collect_actions "contact_actions" contact as actions %}``"""
    return extensions.collect(_ACTIONS[point], context["request"], obj)

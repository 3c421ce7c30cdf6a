"""``{% help_links %}``: "Help with this" links for the screen being shown (see core.help)."""

from django import template

from core.help import TOPICS_BY_SLUG, topics_for_screen

register = template.Library()


@register.inclusion_tag("help/_links.html", takes_context=True)
def help_links(context, *slugs: str) -> dict:
    """Links for ``slugs`` if given, else for the current screen's paragraphs."""
    if slugs:
        topics = [TOPICS_BY_SLUG[slug] for slug in slugs]
    else:
        request = context.get("request")
        match = getattr(request, "resolver_match", None)
        contact = context.get("contact")
        topics = topics_for_screen(
            view_name=match.view_name, kwargs=match.kwargs,
            behaviour=getattr(contact, "behaviour", "") or "",
        ) if match is not None else []
    return {"topics": topics}

"""Template context shared by every page."""

from core import navigation as nav_registry


def navigation(request) -> dict:
    """The service navigation for the signed-in user (issue 24): one entry per section, the
    current section marked, and the current section's sub-navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_section": None, "service_name": "Customer contact"}
    match = getattr(request, "resolver_match", None)
    items, section = nav_registry.menu_for(user, request.path,
                                           match.namespace if match else "")
    return {"nav_items": items, "nav_section": section, "service_name": "Customer contact"}

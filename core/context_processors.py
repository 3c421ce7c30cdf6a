"""Template context shared by every page."""

from django.urls import reverse

from core import navigation as nav_registry


def navigation_items(request) -> list[dict]:
    """The service navigation for the signed-in user, with the current page marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    result = []
    for item in nav_registry.items_for(user):
        url = reverse(item.url_name)
        current = request.path == url or (url != "/" and request.path.startswith(url))
        result.append({"label": item.label, "url": url, "current": current})
    return result


def navigation(request) -> dict:
    return {"nav_items": navigation_items(request), "service_name": "Customer contact"}

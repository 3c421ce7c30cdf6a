"""Walk every URL pattern of the project (shared by the security proofs)."""

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.help import TOPICS


def walk(resolver=None, namespace=""):
    """Yield ``(url name, URLPattern)`` for every named pattern of the project."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry


def project_url_names() -> list[str]:
    """Every URL name but the Django admin's (handled by its own test)."""
    return sorted({name for name, _ in walk() if not name.startswith("admin:")})


def params_of(name: str) -> list[str]:
    for url_name, pattern in walk():
        if url_name == name:
            return list(pattern.pattern.converters)
    raise KeyError(name)


def url_for(name: str, rule, world) -> str:
    """The concrete URL of ``name`` for the matrix ``rule`` in ``world``."""
    fixed = dict(rule.kwargs)
    if fixed.get("slug") == "@help":
        fixed["slug"] = TOPICS[0].slug
    kwargs = {}
    for param in params_of(name):
        if param in fixed:
            kwargs[param] = fixed[param]
        else:
            kwargs[param] = getattr(world, rule.obj).pk
    return reverse(name, kwargs=kwargs)

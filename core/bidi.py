"""Bidirectional text (issue 19, finding 10).

A right-to-left override (U+202E) or isolate (U+2066-U+2069) typed into a field reversed the
service's own text after it wherever it was shown (the adjustment banner's terms and dates).
Two defences: ``StripBidiControlsMiddleware`` removes the explicit direction controls from
every submitted form and query value before any view sees them, and templates isolate
user-written text (``<bdi>`` or ``dir="auto"``) so what was stored before, or arrives another
way (imports, the API), cannot reach the text around it. Right-to-left *letters* (Arabic,
Hebrew, Urdu names) are kept: only the invisible control characters go.
"""

import re

from django.http import QueryDict

# Embeddings, overrides, isolates and their pop characters, and the implicit marks.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_CONTROLS = re.compile(f"[{BIDI_CONTROLS}]")


def strip_bidi(text: str) -> str:
    return _CONTROLS.sub("", text)


def _cleaned(data: QueryDict) -> QueryDict | None:
    if not any(_CONTROLS.search(v) for values in data.lists() for v in values[1]):
        return None
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(strip_bidi(key), [strip_bidi(v) for v in values])
    cleaned._mutable = False
    return cleaned


class StripBidiControlsMiddleware:
    """Remove direction-control characters from submitted form fields and query values."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (cleaned := _cleaned(request.GET)) is not None:
            request.GET = cleaned
        form_post = request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded", "multipart/form-data")
        if form_post and (cleaned := _cleaned(request.POST)) is not None:
            request.POST = cleaned
        return self.get_response(request)

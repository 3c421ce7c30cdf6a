"""HTML templates to PDF with WeasyPrint: A4, GOV.UK typography, tagged (PDF/UA-1).

A document is rendered from its *frozen* context only (plain JSON: strings, numbers, lists,
ISO dates), so the same context renders the same bytes. Dates are stored as ISO strings under
keys ending ``_date`` (a day) or ``_at`` (a moment) and turned back into dates here, so the
``date`` filter writes them in the document's language ("3 Mawrth 2026").
"""

import datetime as dt

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from documents.constants import RENDER_LANGUAGES


def thaw(value):
    """The frozen context with its ``*_date`` / ``*_at`` strings as dates and datetimes."""
    if isinstance(value, dict):
        return {key: _thaw_item(key, item) for key, item in value.items()}
    if isinstance(value, list):
        return [thaw(item) for item in value]
    return value


def _thaw_item(key: str, item):
    if isinstance(item, str) and item:
        if key.endswith("_date"):
            return dt.date.fromisoformat(item)
        if key.endswith("_at"):
            return timezone.localtime(dt.datetime.fromisoformat(item))
    return thaw(item)


def render_html(*, template: str, context: dict, language: str, reference: str,
                titles: dict[str, str]) -> str:
    """The whole HTML document: one part per language (Welsh first when bilingual)."""
    parts = RENDER_LANGUAGES[language]
    first = parts[0]
    ctx = thaw(context)
    with translation.override(first):
        return render_to_string("documents/pdf/base.html", {
            "lang": first,
            "parts": [{"lang": lang, "title": titles[lang],
                       "body_name": settings.DOCUMENTS_BODY_NAME[lang]} for lang in parts],
            "title": " / ".join(titles[lang] for lang in parts),
            "body_name": settings.DOCUMENTS_BODY_NAME[first],
            "reference": reference,
            "template": template,
            "ctx": ctx,
        })


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF/UA-1 file (structure tree, title shown, language set) from ``html``."""
    from weasyprint import HTML  # imported here: Pango is loaded only when a PDF is made

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True)


def render_pdf(**kwargs) -> bytes:
    return html_to_pdf(render_html(**kwargs))

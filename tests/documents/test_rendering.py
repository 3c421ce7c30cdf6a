"""Every term and adjustment is worded in the letter, in each language (HTML, no PDF)."""

import pytest
from django.utils import translation

from documents.constants import DocumentKind
from documents.contexts import TEMPLATES, title
from documents.rendering import render_html, thaw
from restrictions.constants import Adjustment, Term

BASE = {
    "letter_date": "2026-03-02", "customer": {"name": "Alex Morgan", "reference": "CUS-X",
                                              "address_lines": ["1 High Street"]},
    "record_id": 1, "is_adjustment": False, "terms": [], "phone_times": "Tuesdays 10am",
    "call_length_minutes": 10, "point_of_contact": "Casey Worker", "placed_on_file": True,
    "terms_notes": "", "need": "Hearing difficulty", "adjustments": [],
    "start_date": "2026-03-02", "review_date": "2026-06-02", "end_date": "",
    "until_date": "2026-06-02", "decided_date": "2026-03-02", "why": "Because.",
    "appeal_deadline_date": "2026-03-30", "appeal_window_days": 20,
    "signatory": {"name": "Rhiannon Pritchard", "title": "Head of Department"},
}


def _html(kind, context, language):
    titles = {}
    for lang in ("en", "cy"):
        with translation.override(lang):
            titles[lang] = str(title(kind, context))
    return render_html(template=TEMPLATES[kind], context=context, language=language,
                       reference="DOC-TEST0001", titles=titles)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_term_has_its_sentence(language):
    html = _html(DocumentKind.RESTRICTION_DECIDED, {**BASE, "terms": list(Term.values)},
                 language)
    items = html.count("<li>")
    assert items == len(Term.values), html
    for value in ("Tuesdays 10am", "Casey Worker", " 10 "):
        assert value in html


@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_adjustment_has_its_sentence(language):
    html = _html(DocumentKind.ADJUSTMENT_AGREED,
                 {**BASE, "is_adjustment": True, "adjustments": list(Adjustment.values)},
                 language)
    assert html.count("<li>") == len(Adjustment.values), html


def test_welsh_parts_say_lang_cy_and_english_parts_lang_en():
    html = _html(DocumentKind.RESTRICTION_DECIDED, {**BASE, "terms": ["email_only"]},
                 "bilingual")
    assert html.index('<div class="part" lang="cy">') < html.index(
        '<div class="part" lang="en">')
    assert '<html lang="cy">' in html
    assert "Cysylltwch â ni drwy e-bost yn unig." in html
    assert "Contact us by email only." in html


def test_staff_text_is_escaped_in_the_letter():
    html = _html(DocumentKind.RESTRICTION_DECIDED,
                 {**BASE, "why": "<script>alert(1)</script>", "terms": ["no_visits"]}, "en")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_thaw_turns_dates_back_into_dates():
    import datetime as dt

    thawed = thaw({"review_date": "2026-06-02", "call_at": "2026-03-02T09:50:00+00:00",
                   "name": "2026-06-02", "nested": [{"sent_date": "2026-01-01"}],
                   "end_date": ""})
    assert thawed["review_date"] == dt.date(2026, 6, 2)
    assert thawed["call_at"].hour == 9  # Europe/London in March: GMT
    assert thawed["name"] == "2026-06-02"
    assert thawed["nested"][0]["sent_date"] == dt.date(2026, 1, 1)
    assert thawed["end_date"] == ""

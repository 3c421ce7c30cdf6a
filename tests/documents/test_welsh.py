"""English or Welsh (Welsh Language Standards): the letter texts from the cy catalogue."""

from types import SimpleNamespace

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from documents import customers, services
from documents.models import documents_storage
from tests.documents.conftest import pdf_reader, pdf_text

WHY = "Fe wnaethoch weiddi ar ein staff ar dair galwad."


def _welsh_date(day) -> str:
    with translation.override("cy"):
        return date_format(day, "j F Y")


def test_welsh_letter_holds_the_welsh_text_and_lang_cy(org, decided):
    document = services.restriction_letter_issue(restriction=decided, actor=org.manager,
                                                 language="cy", why=WHY)
    data = documents_storage().open(document.file.name).read()
    text = pdf_text(data)
    decided.refresh_from_db()
    assert pdf_reader(data).trailer["/Root"]["/Lang"] == "cy"
    assert pdf_reader(data).metadata.title == "Sut y byddwn yn delio â chi o hyn ymlaen"
    for welsh in ("Rydym wedi penderfynu cyfyngu ar sut rydym yn delio â chi.",
                  "Cysylltwch â ni yn ysgrifenedig yn unig",
                  "Swyddfa'r Comisiynydd Gwybodaeth", "Annwyl Alex Morgan,", "Yn gywir,",
                  "Pennaeth Adran", "Tudalen 1 o",
                  f"Byddwn yn ei adolygu erbyn {_welsh_date(decided.review_date)}",
                  "Y diwrnod olaf i ofyn am adolygiad:"):
        assert welsh in text, welsh
    assert WHY in text
    assert "We have decided" not in text
    assert "Head of Department" not in text


def test_welsh_dates_use_welsh_month_names(org, decided):
    document = services.restriction_letter_issue(restriction=decided, actor=org.manager,
                                                 language="cy", why=WHY)
    text = pdf_text(documents_storage().open(document.file.name).read())
    today = timezone.localdate()
    assert _welsh_date(today) in text
    english_month = today.strftime("%B")
    assert _welsh_date(today).split()[1] != english_month  # e.g. Rhagfyr, not December


def test_bilingual_letter_has_welsh_first_then_english(org, decided):
    document = services.restriction_letter_issue(restriction=decided, actor=org.manager,
                                                 language="bilingual", why=WHY)
    data = documents_storage().open(document.file.name).read()
    text = pdf_text(data)
    welsh = text.index("Rydym wedi penderfynu cyfyngu")
    english = text.index("We have decided to restrict how we deal with you.")
    assert welsh < english
    reader = pdf_reader(data)
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    assert reader.metadata.title == ("Sut y byddwn yn delio â chi o hyn ymlaen / "
                                     "How we will deal with you from now on")
    assert document.get_language_display() == "Welsh and English"


def test_each_language_is_its_own_document(org, decided):
    english = services.restriction_letter_issue(restriction=decided, actor=org.manager,
                                                language="en", why=WHY)
    welsh = services.restriction_letter_issue(restriction=decided, actor=org.manager,
                                              language="cy", why=WHY)
    assert english.pk != welsh.pk
    assert english.sha256 != welsh.sha256


def test_the_language_is_the_customers_preference_unless_overridden():
    assert customers.preferred_language(SimpleNamespace(preferred_language="cy")) == "cy"
    assert customers.preferred_language(SimpleNamespace(preferred_language="en")) == "en"
    assert customers.preferred_language(SimpleNamespace()) == "en"
    assert services._letter_language(SimpleNamespace(preferred_language="cy"), None) == "cy"
    assert services._letter_language(SimpleNamespace(preferred_language="cy"), "en") == "en"


def test_an_unknown_language_is_refused(org, decided):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.restriction_letter_issue(restriction=decided, actor=org.manager,
                                          language="fr", why=WHY)


def test_every_catalogue_entry_is_translated():
    """The Welsh catalogue is complete: no letter text falls back to English unnoticed."""
    from pathlib import Path

    from django.conf import settings

    po = (Path(settings.BASE_DIR) / "locale/cy/LC_MESSAGES/django.po").read_text()
    entries = po.split("\n\n")[1:]
    untranslated = [e for e in entries if e.rstrip().endswith('msgstr ""')]
    assert not untranslated
    assert "#, fuzzy" not in po


def test_the_committed_mo_file_matches_the_po_file():
    """The compiled catalogue is committed: it must hold every translation of the .po."""
    import gettext
    import re
    from pathlib import Path

    from django.conf import settings

    folder = Path(settings.BASE_DIR) / "locale/cy/LC_MESSAGES"
    with (folder / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    po = (folder / "django.po").read_text()
    pairs = 0
    for entry in po.split("\n\n")[1:]:
        match = re.search(r'msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', entry + "\n")
        msgid = "".join(re.findall(r'"(.*)"', match.group(1))).replace('\\"', '"')
        msgstr = "".join(re.findall(r'"(.*)"', match.group(2))).replace('\\"', '"')
        assert catalogue.gettext(msgid) == msgstr, msgid
        pairs += 1
    assert pairs > 50


def test_without_a_choice_the_letter_is_in_the_customers_language(org, decided, monkeypatch):
    """The service asks documents.customers (the one place that reads the preference)."""
    seen = []

    def prefers_welsh(customer):
        seen.append(customer.pk)
        return "cy"

    monkeypatch.setattr(customers, "preferred_language", prefers_welsh)
    document = services.restriction_letter_issue(restriction=decided, actor=org.manager,
                                                 why=WHY)
    assert seen == [org.customer.pk]
    assert document.language == "cy"
    assert "Annwyl Alex Morgan," in pdf_text(documents_storage().open(document.file.name).read())

"""Names as they are spoken and typed: one folding for storing and for searching.

``fold_name`` makes the key a name is stored and searched under, the same on PostgreSQL
and SQLite because it is computed here in Python and kept in the customer's own columns
(``search_family``, ``search_given``): lower case, accents and other diacritics removed
(``Siobhán`` = ``Siobhan``, ``Łukasz`` = ``Lukasz``), and apostrophes of every kind,
hyphens, dots and spaces dropped (``O'Brien`` = ``O\u2019Brien`` (curly) = ``O Brien`` = ``obrien``,
``Smith-Jones`` = ``Smith Jones``).

``sound_keys`` is the sounds-like key for names heard over the phone: Double Metaphone
(Lawrence Philips, 2000; the ``metaphone`` package), primary and alternate codes, so
``Smith``/``Smyth``/``Schmidt``, ``Catherine``/``Kathryn``, ``Stephen``/``Steven`` and
``Mohammed``/``Muhammad`` meet. It was chosen over Soundex (keeps the first letter, so
``Catherine``/``Kathryn`` never meet) and NYSIIS (English-only rules, no alternates for
names of other origins).
"""

import unicodedata
from functools import lru_cache

from metaphone import doublemetaphone

# Letters that Unicode does not decompose into a base letter and a mark.
_SPECIAL = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "\u0131": "i",
                          "ŧ": "t", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"})
# Apostrophes, quotes, hyphens and dashes of every kind, dots and all spaces.
_DROP = dict.fromkeys(map(ord, "'\u2019\u2018\u02bc\u02bb`\u00b4\u2032\"-\u2010\u2011\u2012"
                               "\u2013\u2014\u2212._,"), None)


SOUND_KEY_LENGTH = 40  # contacts.Customer.sound_* max_length


@lru_cache(maxsize=4096)
def fold_name(name: str) -> str:
    """The search key of a name: ``" O'Brien-Smyth "`` -> ``"obriensmyth"``."""
    text = unicodedata.normalize("NFKD", (name or "").casefold()).translate(_SPECIAL)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "".join(text.translate(_DROP).split())


@lru_cache(maxsize=4096)
def sound_keys(name: str) -> tuple[str, str]:
    """Double Metaphone codes of the folded name (primary, alternate or "")."""
    folded = "".join(c for c in fold_name(name) if c.isalpha())
    if not folded:
        return "", ""
    primary, alternate = doublemetaphone(folded)
    # A long name (a pasted paragraph) gives a long code: keep the first SOUND_KEY_LENGTH
    # characters, which is what the stored, indexed columns hold (and all a match uses).
    return (primary or "")[:SOUND_KEY_LENGTH], (alternate or "")[:SOUND_KEY_LENGTH]


def search_keys(given_name: str, family_name: str) -> dict[str, str]:
    """The customer's stored search columns for these names."""
    family = sound_keys(family_name)
    given = sound_keys(given_name)
    return {"search_given": fold_name(given_name)[:100],
            "search_family": fold_name(family_name)[:100],
            "sound_family": family[0], "sound_family_alt": family[1],
            "sound_given": given[0], "sound_given_alt": given[1]}

"""Names found as they are spoken and typed (issue 16): case, accents and diacritics,
apostrophes of any kind, hyphens and spaces, and a Double Metaphone sounds-like match
ranked below exact and prefix matches. The same table runs on PostgreSQL and on SQLite
(``test_the_table_passes_on_sqlite_too`` runs this file again on SQLite)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from contacts.models import Customer
from contacts.names import fold_name, sound_keys
from contacts.selectors import customer_lookup
from tests.contacts.factories import CustomerFactory

# (stored given, stored family, typed)
PAIRS = [
    ("Siobhan", "O'Brien", "obrien"),
    ("Siobhan", "O'Brien", "o brien"),
    ("Siobhan", "O'Brien", "O\u2019Brien"),  # curly apostrophe typed
    ("Siobhan", "O\u2019Brien", "o'brien"),  # curly apostrophe stored
    ("Siobhan", "O'Brien", "O`Brien"),
    ("Siobhan", "O'BRIEN", "siobhan obrien"),
    ("Siobhán", "Kelly", "siobhan kelly"),
    ("Siobhan", "Kelly", "Siobhán Kelly"),
    ("Mary", "Smith-Jones", "smith jones"),
    ("Mary", "Smith Jones", "smith-jones"),
    ("Mary", "Smith-Jones", "smithjones"),
    ("Mary", "Smith\u2013Jones", "mary smith-jones"),  # en dash stored
    ("Ewan", "MacDonald", "mac donald"),
    ("Hans", "Müller", "muller"),
    ("Łukasz", "Nowak", "lukasz nowak"),
    ("Zoë", "Ball", "zoe ball"),
    ("Renée", "Dupré", "renee dupre"),
    ("Fitz", "D'Arcy", "darcy"),
    ("Aoife", "Ní Bhriain", "ni bhriain"),
    ("Søren", "Ærø", "soren aero"),
    ("Anne", "Smyth", "smith"),  # sounds like
    ("Kathryn", "Jones", "catherine jones"),  # sounds like, given name too
    ("Steven", "Price", "stephen price"),
    ("Muhammad", "Khan", "mohammed khan"),
    ("Ann", "Phillips", "philips"),
    ("Ann", "Knight", "night"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("given", "family", "typed"), PAIRS)
def test_a_name_is_found_however_it_is_typed(given, family, typed):
    wanted = CustomerFactory(given_name=given, family_name=family)
    CustomerFactory(given_name="Someone", family_name="Else")
    found = customer_lookup(typed).customers
    assert wanted in found, f"{typed!r} did not find {given} {family} on {connection.vendor}"
    assert all(c.family_name != "Else" for c in found)


@pytest.mark.django_db
def test_sounds_like_comes_after_exact_and_prefix_matches():
    smyth = CustomerFactory(given_name="Anne", family_name="Smyth")
    smithers = CustomerFactory(given_name="Bob", family_name="Smithers")
    smith = CustomerFactory(given_name="Zed", family_name="Smith")
    found = customer_lookup("smith").customers
    assert found == [smith, smithers, smyth]
    assert [c.matched_by for c in found] == ["name", "name", "sounds like"]


@pytest.mark.django_db
def test_names_that_neither_match_nor_sound_alike_are_not_found():
    CustomerFactory(given_name="Ann", family_name="Jones")
    assert customer_lookup("brown").customers == []
    assert customer_lookup("ann smith").customers == []


@pytest.mark.django_db
def test_the_search_keys_follow_a_change_of_name():
    customer = CustomerFactory(given_name="Ann", family_name="Jones")
    customer.family_name = "O'Neill"
    customer.save(update_fields=["family_name"])
    stored = Customer.objects.values("search_family", "sound_family").get(pk=customer.pk)
    assert stored == {"search_family": "oneill", "sound_family": sound_keys("Oneill")[0]}
    assert customer_lookup("o'neill").customers == [customer]


def test_folding_removes_case_accents_apostrophes_hyphens_and_spaces():
    assert fold_name(" O\u2019Brien-Smyth ") == "obriensmyth"
    assert fold_name("ŁUKASZ") == "lukasz"
    assert fold_name("Ærøskøbing") == "aeroskobing"
    assert fold_name("Straße") == "strasse"
    assert fold_name("") == ""


def test_the_table_passes_on_sqlite_too(tmp_path):
    """Run this file again on SQLite (``make run``'s database): the same folding must find
    the same people there."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'lookup.sqlite3'}",
           "PYTEST_ADDOPTS": ""}
    run = subprocess.run(  # our own interpreter on our own test file
        [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-p", "no:randomly",
         str(Path(__file__).relative_to(root)), "-k", "not sqlite_too"],  # no recursion
        cwd=root, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert f"{len(PAIRS) + 4} passed" in run.stdout, run.stdout[-1000:]

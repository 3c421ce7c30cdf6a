"""10.1: "When writing letters or emails, full names must always be provided": a letter
prints the sender's first and last name, never a username, and is refused without one."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from documents import services
from documents.models import StoredDocument, documents_storage
from tests.documents.conftest import pdf_text

WHY = "You shouted at our staff on three calls and did not stop when asked."


def test_a_letter_prints_the_senders_full_name_not_the_username(org, decided):
    document = services.restriction_letter_issue(restriction=decided, actor=org.manager,
                                                 language="en", why=WHY)
    text = pdf_text(documents_storage().open(document.file.name).read())
    assert "Rhiannon Pritchard" in text
    assert "d_head" not in text
    assert document.context["signatory"]["name"] == "Rhiannon Pritchard"


@pytest.mark.parametrize(("first", "last"), [("", ""), ("Rhiannon", ""), ("", "Pritchard")])
def test_a_letter_is_refused_when_the_sender_has_no_full_name(org, decided, first, last):
    org.head.first_name, org.head.last_name = first, last
    org.head.save(update_fields=["first_name", "last_name"])
    with pytest.raises(ValidationError, match=r"The sender of this letter .* has no full name "
                                              r"recorded, and letters always give full names"):
        services.restriction_letter_issue(restriction=decided, actor=org.manager,
                                          language="en", why=WHY)
    assert not StoredDocument.objects.exists()


def test_the_printable_letter_warns_instead_of_printing_a_username(org, decided, client_for):
    org.head.first_name = org.head.last_name = ""
    org.head.save(update_fields=["first_name", "last_name"])
    page = client_for(org.manager).get(
        reverse("restrictions:letter", args=[decided.pk])).content.decode()
    assert "d_head" not in page
    assert "has no full name recorded" in page


def test_a_letter_naming_a_point_of_contact_without_a_full_name_is_refused(org):
    from restrictions.constants import Term
    from tests.documents.conftest import decide

    nameless = org.caseworker
    nameless.last_name = ""
    nameless.save(update_fields=["last_name"])
    restriction = decide(org, terms=(Term.SINGLE_POINT,), point_of_contact=nameless)
    with pytest.raises(ValidationError, match="single point of contact named in the terms"):
        services.restriction_letter_issue(restriction=restriction, actor=org.manager,
                                          language="en", why=WHY)

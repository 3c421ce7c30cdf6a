"""The kinds of stored document and their languages (8.1, 11.2, 12)."""

from django.db import models


class DocumentKind(models.TextChoices):
    """What a stored document is: a letter to the customer or a copy for the case file."""

    RESTRICTION_DECIDED = "restriction_decided", "Letter: restriction decided"
    ADJUSTMENT_AGREED = "adjustment_agreed", "Letter: adjustment agreed"
    RESTRICTION_RENEWED = "restriction_renewed", "Letter: renewed"
    RESTRICTION_LIFTED = "restriction_lifted", "Letter: lifted"
    RESTRICTION_EXPIRED = "restriction_expired", "Letter: expired"
    APPEAL_OUTCOME = "appeal_outcome", "Letter: appeal outcome"
    TERMINATED_CALL_LOG = "terminated_call_log", "Case-file copy: terminated-call log"
    ATRISK_TELEPHONE_NOTE = "atrisk_telephone_note", "Case-file copy: at-risk telephone note"


LETTERS = frozenset({
    DocumentKind.RESTRICTION_DECIDED, DocumentKind.ADJUSTMENT_AGREED,
    DocumentKind.RESTRICTION_RENEWED, DocumentKind.RESTRICTION_LIFTED,
    DocumentKind.RESTRICTION_EXPIRED, DocumentKind.APPEAL_OUTCOME,
})
CASE_FILE_COPIES = frozenset({DocumentKind.TERMINATED_CALL_LOG,
                              DocumentKind.ATRISK_TELEPHONE_NOTE})


class DocumentLanguage(models.TextChoices):
    """English, Welsh, or both in one document (Welsh first)."""

    ENGLISH = "en", "English"
    WELSH = "cy", "Welsh"
    BILINGUAL = "bilingual", "Welsh and English"


# The languages a document's text is rendered in, in order, for each DocumentLanguage.
RENDER_LANGUAGES = {
    DocumentLanguage.ENGLISH: ("en",),
    DocumentLanguage.WELSH: ("cy",),
    DocumentLanguage.BILINGUAL: ("cy", "en"),
}

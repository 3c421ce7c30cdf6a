"""Stored documents: each letter or case-file copy, generated once and kept as issued."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone

from documents.constants import CASE_FILE_COPIES, LETTERS, DocumentKind, DocumentLanguage


def documents_storage():
    """The storage stored documents live in (``STORAGES["documents"]``, never public)."""
    return storages["documents"]


class StoredDocument(models.Model):
    """A PDF exactly as it was issued, with the data it was made from frozen beside it.

    The file is written once, when the document is issued, and never changed: a reprint
    returns these bytes (checked against ``sha256``), not a new rendering of today's data.
    ``source`` is the record it was made from: the restriction's transition for a decision,
    renewal, lifting or expiry letter, the appeal for its outcome letter, the terminated-call
    log (8.1) or the at-risk report (11.2) for a case-file copy.
    """

    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    language = models.CharField(max_length=10, choices=DocumentLanguage.choices)
    title = models.CharField(max_length=200)
    customer = models.ForeignKey(
        "contacts.Customer", null=True, blank=True, on_delete=models.PROTECT,
        related_name="documents",
        help_text="Empty for a case-file copy about a caller we could not identify.")
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    file = models.FileField(storage=documents_storage, max_length=200)
    sha256 = models.CharField("SHA-256 of the file", max_length=64)
    size = models.PositiveIntegerField()
    template = models.CharField(max_length=100)
    context = models.JSONField(help_text="The data the document was made from, as issued.")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "-issued_at"]),
            models.Index(fields=["source_type", "source_id"]),
        ]
        constraints = [
            # Generated once: one document of a kind and language per source record.
            models.UniqueConstraint(fields=["kind", "source_type", "source_id", "language"],
                                    name="storeddocument_once_per_source"),
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values),
                                   name="storeddocument_kind_valid"),
            models.CheckConstraint(condition=Q(language__in=DocumentLanguage.values),
                                   name="storeddocument_language_valid"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"),
                                   name="storeddocument_sha256_hex"),
            models.CheckConstraint(condition=Q(size__gt=0), name="storeddocument_not_empty"),
            models.CheckConstraint(condition=~Q(reference=""),
                                   name="storeddocument_has_reference"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.reference})"

    @property
    def is_letter(self) -> bool:
        return self.kind in LETTERS

    @property
    def is_case_file_copy(self) -> bool:
        return self.kind in CASE_FILE_COPIES

    @property
    def filename(self) -> str:
        return f"{self.reference}.pdf"


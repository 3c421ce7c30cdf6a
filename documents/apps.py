from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Letters and case-file copies"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from core import extensions
        from documents import providers
        from documents.models import StoredDocument

        post_delete.connect(_delete_file, sender=StoredDocument,
                            dispatch_uid="documents.delete_file")

        if providers.customer_documents not in extensions.customer_sections:
            extensions.customer_sections.append(providers.customer_documents)


def _delete_file(sender, instance, **kwargs) -> None:
    """A deleted document's PDF goes with its row, once the delete is committed (a rolled-back
    delete keeps it)."""
    from django.db import transaction

    from documents.models import documents_storage

    name = instance.file.name
    if name:
        transaction.on_commit(lambda: documents_storage().delete(name))

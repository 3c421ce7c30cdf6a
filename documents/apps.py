from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Letters and case-file copies"

    def ready(self) -> None:
        from core import extensions
        from documents import providers

        if providers.customer_documents not in extensions.customer_sections:
            extensions.customer_sections.append(providers.customer_documents)

from django.contrib import admin

from documents.models import StoredDocument


@admin.register(StoredDocument)
class StoredDocumentAdmin(admin.ModelAdmin):
    """Read-only: a stored document is never changed or removed by hand."""

    list_display = ("reference", "kind", "language", "issued_at", "issued_by")
    list_filter = ("kind", "language")
    search_fields = ("reference",)
    readonly_fields = [f.name for f in StoredDocument._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

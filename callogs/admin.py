"""Read-only admin: every change goes through ``callogs.services`` (audited)."""

from django.contrib import admin

from callogs.models import LogReview, TerminatedCallLog


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TerminatedCallLog)
class TerminatedCallLogAdmin(ReadOnlyAdmin):
    list_display = ["id", "author", "status", "call_at", "submitted_at", "reviewed_at"]
    list_filter = ["status"]
    list_select_related = ["author"]


@admin.register(LogReview)
class LogReviewAdmin(ReadOnlyAdmin):
    list_display = ["id", "log", "reviewer", "discussed_on", "welfare_follow_up_requested"]
    list_select_related = ["reviewer"]

"""Read-only admin: every change goes through ``welfare.services`` (audited)."""

from django.contrib import admin

from callogs.admin import ReadOnlyAdmin
from welfare.models import DistressFlag, WelfareFollowUp


@admin.register(WelfareFollowUp)
class WelfareFollowUpAdmin(ReadOnlyAdmin):
    list_display = ["id", "staff", "manager", "status", "due_at", "held_on"]
    list_filter = ["status"]
    list_select_related = ["staff", "manager"]


@admin.register(DistressFlag)
class DistressFlagAdmin(ReadOnlyAdmin):
    list_display = ["id", "staff", "routed_to", "status", "raised_at"]
    list_filter = ["status"]
    list_select_related = ["staff", "routed_to"]

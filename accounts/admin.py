from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import Department, User


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    """Heads and acting Heads are changed on the Departments screen (an audited service),
    not here: ``head`` is read-only."""

    list_display = ("name", "head")
    readonly_fields = ("head",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username", "first_name", "last_name", "department", "line_manager", "is_active",
    )
    list_filter = ("groups", "department", "is_active", "is_away")
    raw_id_fields = ("line_manager",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Place in the organisation", {
            "fields": ("job_title", "department", "line_manager", "is_away"),
        }),
    )

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import Department, ExternalIdentity, User


class ExternalIdentityInline(admin.TabularInline):
    """Who the person is at the identity provider (issue 21): made by their first sign-in
    there, shown so an administrator can see it, never edited here."""

    model = ExternalIdentity
    extra = 0
    can_delete = False
    fields = readonly_fields = ("issuer", "subject", "created_at", "last_sign_in_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


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
    inlines = (ExternalIdentityInline,)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Place in the organisation", {
            "fields": ("job_title", "department", "line_manager", "is_away"),
        }),
    )

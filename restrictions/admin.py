"""Read-only admin: every change goes through the services (audit, state machine)."""

from django.contrib import admin

from restrictions.models import (
    Appeal,
    FurtherAction,
    Restriction,
    RestrictionTransition,
    TriageItem,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Restriction)
class RestrictionAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "status", "customer", "department", "review_date")
    list_filter = ("kind", "status", "department")


for model in (RestrictionTransition, Appeal, FurtherAction, TriageItem):
    admin.site.register(model, ReadOnlyAdmin)

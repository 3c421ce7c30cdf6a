"""Admin for customer reference data (names, contact details, case references).

Contacts and their steps are written only through ``contacts.services``, so they are shown
read-only here.
"""

from django.contrib import admin

from contacts.models import CaseReference, Contact, Customer, CustomerEmail, CustomerPhone


class CustomerEmailInline(admin.TabularInline):
    model = CustomerEmail
    extra = 0


class CustomerPhoneInline(admin.TabularInline):
    model = CustomerPhone
    extra = 0


class CaseReferenceInline(admin.TabularInline):
    model = CaseReference
    extra = 0


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("reference", "family_name", "given_name")
    search_fields = ("reference", "family_name", "given_name")
    inlines = (CustomerEmailInline, CustomerPhoneInline, CaseReferenceInline)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("pk", "channel", "started_at", "staff", "behaviour", "terminated")
    list_filter = ("channel", "behaviour", "terminated")
    list_select_related = ("staff",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

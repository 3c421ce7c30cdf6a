"""Admin for customers and contacts: read-only (issue 16).

Customers and their details are created and changed by the front-line staff through
``contacts.customer_services`` (audited with before and after), merged by a line manager
and imported by ``import_customers``; the Django admin only shows them.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from contacts import services
from contacts.models import (
    CaseReference,
    Contact,
    Customer,
    CustomerEmail,
    CustomerPhone,
    SuggestedWords,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CustomerEmailInline(ReadOnlyMixin, admin.TabularInline):
    model = CustomerEmail
    extra = 0


class CustomerPhoneInline(ReadOnlyMixin, admin.TabularInline):
    model = CustomerPhone
    extra = 0


class CaseReferenceInline(ReadOnlyMixin, admin.TabularInline):
    model = CaseReference
    extra = 0


@admin.register(Customer)
class CustomerAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("reference", "family_name", "given_name", "merged_into")
    search_fields = ("reference", "search_family", "search_given")
    inlines = (CustomerEmailInline, CustomerPhoneInline, CaseReferenceInline)


@admin.register(Contact)
class ContactAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("pk", "channel", "started_at", "staff", "behaviour", "terminated")
    list_filter = ("channel", "behaviour", "terminated")
    list_select_related = ("staff",)


@admin.register(SuggestedWords)
class SuggestedWordsAdmin(admin.ModelAdmin):
    """Issue 24: the suggested words for a live call, changed by an Administrator through
    the audited service. The rows are the procedure's steps: none added or deleted here."""

    list_display = ("step", "paragraph", "words", "updated_at")
    fields = ("step", "paragraph", "words")
    readonly_fields = ("step",)

    def has_module_permission(self, request) -> bool:
        # The contacts app holds customer records, so a superuser has no module permission
        # for it (issue 17); this model alone is shown to whoever may keep it.
        return request.user.has_perm("contacts.view_suggestedwords")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        try:
            services.suggested_words_save(words=obj, actor=request.user,
                                          text=obj.words, paragraph=obj.paragraph)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))

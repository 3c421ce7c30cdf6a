"""Admin: the duty rota only. Reports and disclosures are read through the audited pages."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from atrisk import services
from atrisk.models import DutyRota


@admin.register(DutyRota)
class DutyRotaAdmin(admin.ModelAdmin):
    list_display = ("senior", "starts_at", "ends_at", "note")
    list_filter = ("senior",)
    date_hierarchy = "starts_at"
    autocomplete_fields = ()

    def save_model(self, request, obj, form, change):
        try:
            services.duty_rota_save(rota=obj, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))

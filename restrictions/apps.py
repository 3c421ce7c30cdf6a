from django.apps import AppConfig


class RestrictionsConfig(AppConfig):
    name = "restrictions"
    verbose_name = "Restricted contact and reasonable adjustments"

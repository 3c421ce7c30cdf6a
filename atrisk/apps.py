from django.apps import AppConfig


class AtRiskConfig(AppConfig):
    name = "atrisk"
    verbose_name = "At-risk reports and vital-interests disclosures"

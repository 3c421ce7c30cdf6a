from django.apps import AppConfig


class CallogsConfig(AppConfig):
    name = "callogs"
    verbose_name = "Terminated-call logs"

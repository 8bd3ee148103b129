from django.apps import AppConfig


class CyclesConfig(AppConfig):
    name = "govlens.web.cycles"
    label = "cycles"
    default_auto_field = "django.db.models.BigAutoField"

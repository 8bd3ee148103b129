from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "govlens.web.api"
    label = "govlens_api"
    default_auto_field = "django.db.models.BigAutoField"

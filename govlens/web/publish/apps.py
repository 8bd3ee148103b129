from django.apps import AppConfig


class PublishConfig(AppConfig):
    name = "govlens.web.publish"
    label = "publish"
    default_auto_field = "django.db.models.BigAutoField"

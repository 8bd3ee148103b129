from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "govlens.web.collection"
    label = "collection"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionConfig(AppConfig):
    name = "govlens.web.collection"
    label = "collection"
    verbose_name = _("Answers")
    default_auto_field = "django.db.models.BigAutoField"

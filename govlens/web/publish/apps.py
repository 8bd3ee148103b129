from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishConfig(AppConfig):
    name = "govlens.web.publish"
    label = "publish"
    verbose_name = _("Public results")
    default_auto_field = "django.db.models.BigAutoField"

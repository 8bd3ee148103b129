from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyclesConfig(AppConfig):
    name = "govlens.web.cycles"
    label = "cycles"
    verbose_name = _("Cycles")
    default_auto_field = "django.db.models.BigAutoField"

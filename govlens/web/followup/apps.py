from __future__ import annotations

from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "govlens.web.followup"
    label = "followup"
    verbose_name = "Follow-up"
    default_auto_field = "django.db.models.BigAutoField"

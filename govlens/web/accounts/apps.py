from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "govlens.web.accounts"
    label = "accounts"
    verbose_name = _("People and roles")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.models import User
        from django.db.models.signals import post_save, pre_save

        from govlens.web.accounts.signals import password_changed, password_will_change

        # A new password clears the user's login throttle (a successful password reset unlocks the account).
        pre_save.connect(password_will_change, sender=User, dispatch_uid="govlens-password-will-change")
        post_save.connect(password_changed, sender=User, dispatch_uid="govlens-password-changed")

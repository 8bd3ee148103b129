"""A new password forgets the login throttle of its user: failures counted against a password that is no longer in
use say nothing about the new one, so a user locked out by guesses (theirs or an attacker's) who resets the
password through the e-mailed link, or is given a new one by an administrator, can log in at once. It also revokes
the user's API tokens, as Django ends the user's other sessions: a password reset after a leak cuts off a stolen
token too.

Connected in ``AccountsConfig.ready``. The password hash is compared before and after the save (Django sends no
signal of its own for a password change); every way of setting a password goes through ``User.save``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import User

from govlens.web.accounts.services import login_failures_clear, tokens_revoke_all

logger = logging.getLogger(__name__)
# Set on the instance between pre_save and post_save when the save writes a new password hash.
_CHANGED = "_govlens_password_changed"


def password_will_change(sender: type[User], instance: User, raw: bool = False, **kwargs: Any) -> None:
    """Before a save: note whether it writes a different password hash (a new user counts as one)."""
    update_fields = kwargs.get("update_fields")
    if raw or (update_fields is not None and "password" not in update_fields):
        return
    if instance._state.adding or instance.pk is None:
        changed = True
    else:
        stored = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
        changed = stored is not None and stored != instance.password
    instance.__dict__[_CHANGED] = changed


def password_changed(sender: type[User], instance: User, raw: bool = False, **kwargs: Any) -> None:
    """After the save: clear the login failures of the username whose password changed."""
    if not instance.__dict__.pop(_CHANGED, False):
        return
    login_failures_clear(username=instance.get_username())
    revoked = tokens_revoke_all(user=instance) if not kwargs.get("created") else 0
    logger.info("password of '%s' changed: login throttle cleared, %d API token(s) revoked", instance.get_username(),
                revoked)

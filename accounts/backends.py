"""The user of a session, read from the shared cache instead of the database per request.

Safe because every save of a user (a password change, a deactivation) drops the cached copy
at once, so Django's per-request checks (the session's password hash, ``is_active``) see the
change on the next request, on every node (docs/decisions/0009-sessions-and-users.md). A
bulk ``update()`` sends no signal, so the copy also expires after USER_CACHE_SECONDS.
"""

from axes.backends import AxesBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

USER_CACHE_SECONDS = 60


def _key(user_id) -> str:
    return f"session-user:{user_id}"


class CachedUserMixin:
    def get_user(self, user_id):
        user = cache.get(_key(user_id))
        if user is None:
            user = super().get_user(user_id)
            if user is not None:
                cache.set(_key(user_id), user, USER_CACHE_SECONDS)
        elif not self.user_can_authenticate(user):
            return None
        return user


class CachedModelBackend(CachedUserMixin, ModelBackend):
    """Authenticates like Django's ModelBackend; finds a session's user in the cache."""


class CachedAxesBackend(CachedUserMixin, AxesBackend):
    """django-axes' lockout check first in line (it authenticates nobody itself); sessions
    that name it (force_login uses the first backend) find their user in the cache too."""


@receiver(post_save, sender=get_user_model(), dispatch_uid="accounts-user-cache-save")
@receiver(post_delete, sender=get_user_model(), dispatch_uid="accounts-user-cache-delete")
def _forget_user(sender, instance, **kwargs):
    key = _key(instance.pk)
    cache.delete(key)
    # Again once the change commits: a request in between read the old row and may have put
    # it back (an erased learner's phone, a password changed a moment ago).
    transaction.on_commit(lambda: cache.delete(key))

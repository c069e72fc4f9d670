"""What happens to an account as a whole: its language, its export, its erasure.

The apps above hold the learner's progress, attempts and certificates; learning's
``learner_erase`` withdraws and deletes those first, then calls ``account_erase`` here.
"""

from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction

from .models import AccountErasure, User


class AccountError(Exception):
    """An account action that cannot be done; the message says why, in one line."""


def user_language_set(*, user: User, language: str) -> None:
    """Save the learner's interface language ("" for the browser's)."""
    user.language = language
    user.save(update_fields=["language"])


def account_profile_export(*, user: User) -> dict:
    """The account's own data, for "Download my data"."""
    return {
        "username": user.username,
        "email": user.email,
        "full_name": user.full_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
    }


def _sessions_of(user: User) -> list[str]:
    # Sessions are not indexed by user: read each one (erasure is rare, sessions expire).
    keys = []
    for session in Session.objects.iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            keys.append(session.session_key)
    return keys


@transaction.atomic
def account_erase(
    *,
    user: User,
    via: str,
    by: str = "",
    certificates_withdrawn: int = 0,
    attempts_deleted: int = 0,
) -> AccountErasure:
    """Delete the account and every row that names it: its sessions (every device is logged
    out), the login records django-axes keeps by username, the admin log's entries about it.
    What it owned cascades with it. The erasure itself is recorded without personal data."""
    if user.certificates.exists():
        raise AccountError("Withdraw the account's certificates before erasing it.")
    username = user.username
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in _sessions_of(user):
        store(session_key=key).delete()  # from the shared cache too (cached_db)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=username).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).delete()
    user.delete()
    return AccountErasure.objects.create(
        via=via,
        by=by,
        certificates_withdrawn=certificates_withdrawn,
        attempts_deleted=attempts_deleted,
    )

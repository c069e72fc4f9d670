"""What happens to an account as a whole: its language, its export, its erasure.

The apps above hold the learner's progress, attempts and certificates; learning's
``learner_erase`` withdraws and deletes those first, then calls ``account_erase`` here.
"""

from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .models import AccountErasure, User, UserSession


class AccountError(Exception):
    """An account action that cannot be done; the message says why, in one line."""


def user_language_set(*, user: User, language: str) -> None:
    """Save the learner's interface language ("" for the browser's)."""
    user.language = language
    user.save(update_fields=["language"])


def user_email_set(*, user: User, email: str) -> None:
    """The address password resets go to ("" for none)."""
    user.email = User.objects.normalize_email(email.strip())
    user.save(update_fields=["email"])


def account_logins_export(*, user: User) -> list[dict]:
    """The login records django-axes keeps by username (address, browser, when)."""
    rows = []
    for model, kind in ((AccessLog, "login"), (AccessFailureLog, "failed login")):
        for record in model.objects.filter(username=user.username).order_by("attempt_time"):
            rows.append(
                {
                    "kind": kind,
                    "at": record.attempt_time.isoformat(),
                    "ip_address": record.ip_address,
                    "user_agent": record.user_agent,
                }
            )
    return rows


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


def account_sessions(*, user: User) -> list[str]:
    """The keys of the user's sessions: one query on the sessions' user index
    (accounts.sessions)."""
    return list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))


def admin_log_forget(*, objects: dict[type, list[int]]) -> None:
    """Delete the admin log's entries about these objects: their ``object_repr`` may hold
    the name of the person they belong to."""
    for model, ids in objects.items():
        content_type = ContentType.objects.get_for_model(model)
        keys = [str(pk) for pk in ids]
        for start in range(0, len(keys), 500):
            LogEntry.objects.filter(
                content_type=content_type, object_id__in=keys[start : start + 500]
            ).delete()


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
    session_keys = account_sessions(user=user)
    for key in session_keys:
        store(session_key=key).delete()  # from the shared cache too (cached_db)
    # Again once this commits: a request in between may have cached the session anew.
    transaction.on_commit(lambda: [store(session_key=key).delete() for key in session_keys])
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=username).delete()
    admin_log_forget(objects={User: [user.pk]})
    user.delete()
    return AccountErasure.objects.create(
        via=via,
        by=by,
        certificates_withdrawn=certificates_withdrawn,
        attempts_deleted=attempts_deleted,
    )

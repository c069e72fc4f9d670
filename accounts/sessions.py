"""The session engine: Django's cached_db sessions, each row marked with its user.

``SESSION_ENGINE = "accounts.sessions"``. A request reads its session from the shared cache as
before (decision 0009); only a save writes the row, now with the user's id taken from the
session's own data, so ``account_sessions`` is one indexed query (decision 0012). Built the
way Django documents for extending a database-backed engine.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

from .models import UserSession


class SessionStore(CachedDBStore):
    @classmethod
    def get_model_class(cls) -> type[UserSession]:
        return UserSession

    def create_model_instance(self, data: dict) -> UserSession:
        row = super().create_model_instance(data)
        user_id = str(data.get(SESSION_KEY, ""))
        row.user_id = int(user_id) if user_id.isdigit() else None
        return row

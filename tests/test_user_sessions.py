"""Sessions are marked with their user (accounts.sessions): an account's sessions are one
indexed query, erasure logs out every device and nobody else, and the deploy that moved the
sessions logged nobody out."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from accounts.models import UserSession
from accounts.services import account_sessions
from accounts.sessions import SessionStore
from learning.learner_data import learner_erase
from tests.conftest import make_user
from tests.query_plans import assert_indexed, plan


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)  # a new session, saved by the site's engine
    return client


def _signed_in(client: Client) -> bool:
    return client.get(reverse("learning:my_learning")).status_code == 200


@pytest.mark.django_db
def test_a_login_marks_its_session_with_the_user_and_a_visitors_has_none():
    learner = make_user()
    client = _logged_in(learner)
    row = UserSession.objects.get(session_key=client.session.session_key)
    assert row.user_id == learner.pk
    visitor = SessionStore()
    visitor["seen"] = True
    visitor.create()
    assert UserSession.objects.get(session_key=visitor.session_key).user_id is None


@pytest.mark.django_db
def test_an_accounts_sessions_are_one_indexed_query(django_assert_num_queries):
    learner, other = make_user(), make_user()
    mine = {_logged_in(learner).session.session_key for _ in range(3)}
    _logged_in(other)
    with django_assert_num_queries(1):
        assert set(account_sessions(user=learner)) == mine
    assert_indexed(plan(UserSession.objects.filter(user=learner).values_list("session_key")))


@pytest.mark.django_db
def test_erasure_logs_out_every_device_of_the_account_and_nobody_else():
    learner, other = make_user(), make_user()
    laptop, phone, theirs = _logged_in(learner), _logged_in(learner), _logged_in(other)
    assert _signed_in(laptop) and _signed_in(phone)  # both sessions now in the shared cache
    learner_erase(learner=learner, via="admin", by="admin")
    assert not _signed_in(laptop) and not _signed_in(phone)
    assert _signed_in(theirs)
    assert list(UserSession.objects.values_list("user_id", flat=True)) == [other.pk]


@pytest.mark.django_db(transaction=True)
def test_sessions_from_before_the_move_are_moved_and_stay_logged_in():
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0003_erasure_and_language")])
    learner = make_user()
    old = DBStore()  # what the engine before the move wrote: django_session
    old[SESSION_KEY] = str(learner.pk)
    old[BACKEND_SESSION_KEY] = "accounts.backends.CachedModelBackend"
    old[HASH_SESSION_KEY] = learner.get_session_auth_hash()
    old.create()
    key = old.session_key
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    visitor = DBStore()
    visitor["seen"] = True
    visitor.create()
    with connection.cursor() as cursor:  # a row nobody can read: another secret signed it
        cursor.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "SELECT 'x' || session_key, 'garbage:tampered', expire_date FROM django_session "
            "WHERE session_key = %s",
            [key],
        )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    rows = dict(UserSession.objects.values_list("session_key", "user_id"))
    assert rows == {key: learner.pk, visitor.session_key: None}
    assert not DBStore.get_model_class().objects.exists()  # moved, not left behind
    cache.clear()  # the session now comes from the new table
    assert _signed_in(client)


@pytest.mark.django_db
def test_clearsessions_deletes_the_expired_sessions_and_keeps_the_others():
    learner = make_user()
    live = _logged_in(learner)
    expired = SessionStore()
    expired[SESSION_KEY] = str(learner.pk)
    expired.set_expiry(-60)  # a minute ago
    expired.create()
    assert UserSession.objects.count() == 2
    call_command("clearsessions")
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [
        live.session.session_key
    ]
    assert _signed_in(live)

"""Outages get a 503 that says to try again; errors are never cached; one cache for all
processes (issue 9, items 12-14). Real databases made unreachable or locked, no mocks."""

import copy
import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import UserSession
from courses.services import course_import
from tests.conftest import make_course, make_question, make_user, run_manage
from tests.exercise_form import form_choice
from tests.servers import database_url

pytestmark = pytest.mark.django_db(transaction=True)

DATA = Path(__file__).parent / "data" / "articles"
TRY_AGAIN = "Please try again in a minute."


@contextmanager
def database_settings(**changes):
    """Reconnect with changed connection settings; restore them (and reconnect) after."""
    saved = copy.deepcopy(connection.settings_dict)
    connection.close()
    for key, value in changes.items():
        if key == "OPTIONS":
            connection.settings_dict["OPTIONS"] = {**saved.get("OPTIONS", {}), **value}
        else:
            connection.settings_dict[key] = value
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def _unreachable() -> dict:
    if connection.vendor == "sqlite":
        return {"NAME": "/nonexistent-folder/chapterwise.sqlite3"}
    return {"HOST": "127.0.0.1", "PORT": "1"}


@contextmanager
def another_process_holds_the_lock(table: str):
    """A second connection, as another worker would hold it, with the write lock taken."""
    if connection.vendor == "sqlite":
        other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with database_settings(OPTIONS={"timeout": 0.3}):
                yield
        finally:
            other.execute("ROLLBACK")
            other.close()
    else:
        params = connection.get_connection_params()
        with psycopg.connect(**params) as other:
            other.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
            with database_settings(OPTIONS={"options": "-c lock_timeout=300"}):
                yield
            other.rollback()


def _client(learner=None) -> Client:
    client = Client(raise_request_exception=False)
    if learner is not None:
        client.force_login(learner)
    return client


def _assert_try_again(response):
    assert response.status_code == 503
    assert TRY_AGAIN in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert response["Retry-After"] == "30"


@pytest.mark.parametrize("who", ["visitor", "learner"])
def test_an_unreachable_database_gives_a_503_that_says_to_try_again(who):
    course = make_course(chapters=1)
    client = _client(make_user() if who == "learner" else None)
    urls = ["/", course.get_absolute_url()]
    if who == "learner":
        urls.append(reverse("learning:my_learning"))
    with database_settings(**_unreachable()):
        for url in urls:
            _assert_try_again(client.get(url))


def test_healthz_reports_an_unreachable_database():
    with database_settings(**_unreachable()):
        response = _client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_readyz_answers_json_when_the_database_is_unreachable():
    # It answered Django's HTML error page (issue 26): a probe reads JSON.
    with database_settings(**_unreachable()):
        response = _client().get("/readyz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["database"] == "unavailable"
    assert response.json()["status"] == "error"


def test_an_answer_while_the_database_is_locked_gets_a_503_not_a_500():
    course = make_course(chapters=1)
    chapter = course.chapters.get()
    question = make_question(chapter=chapter)
    learner = make_user()
    client = _client(learner)
    data = {"question": question.pk, "choice": form_choice(question, "Active listening", learner)}
    with another_process_holds_the_lock("quizzes_attempt"):
        response = client.post(reverse("learning:answer", args=[course.slug, chapter.slug]), data)
    _assert_try_again(response)
    # Once the lock is gone, the same answer goes through.
    assert (
        client.post(reverse("learning:answer", args=[course.slug, chapter.slug]), data).status_code
        == 302
    )


def test_a_session_that_cannot_be_saved_gives_a_503_not_a_400(settings):
    # Messages kept in the session: saving a name adds one, so the session must be written.
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
    learner = make_user()
    client = _client(learner)
    client.get(reverse("learning:my_learning"))  # the session exists
    with another_process_holds_the_lock(UserSession._meta.db_table):
        response = client.post(reverse("profile"), {"full_name": "Grace Hopper"})
    _assert_try_again(response)


def test_healthz_reports_a_database_that_cannot_take_writes():
    if connection.vendor == "sqlite":
        with another_process_holds_the_lock("quizzes_attempt"):
            response = _client().get("/healthz")
        expected = "locked"
    else:
        with database_settings(OPTIONS={"options": "-c default_transaction_read_only=on"}):
            response = _client().get("/healthz")
        expected = "read-only"
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": expected}
    assert _client().get("/healthz").status_code == 200


def test_error_responses_are_never_cacheable(settings, tmp_path):
    settings.CREDENTIAL_SIGNING_KEY = ""
    settings.CREDENTIAL_SIGNING_KEY_FILE = tmp_path / "missing.pem"
    jwks = _client().get("/.well-known/jwks.json")
    assert jwks.status_code == 503
    assert jwks["Cache-Control"] == "no-store" and "Expires" not in jwks
    missing = _client().get("/courses/no-such-course/")
    assert missing.status_code == 404 and missing["Cache-Control"] == "no-store"


def test_a_change_made_from_the_command_line_reaches_cached_pages_at_once(tmp_path):
    folder = tmp_path / "calm-under-fire"
    shutil.copytree(DATA / "course", folder)
    course = course_import(path=folder).course
    chapter = course.chapters.get(position=1)
    visitor = _client()
    assert "Freshly edited" not in visitor.get(chapter.get_absolute_url()).content.decode()

    (folder / "01-calm.txt").write_text("Keeping Your Head\n\nFreshly edited text.\n")
    result = run_manage(
        "import_course",
        str(folder),
        env={
            "DATABASE_URL": database_url(),
            "DJANGO_CACHE_DIR": django_settings.CACHES["default"]["LOCATION"],
        },
    )
    assert result.returncode == 0, result.stderr

    chapter.refresh_from_db()
    assert "Freshly edited text." in visitor.get(chapter.get_absolute_url()).content.decode()

"""Shared test helpers: small factories over the real database."""

import itertools
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.test import override_settings

from accounts.models import User
from certificates.models import Certificate
from courses.models import Chapter, Course

_counter = itertools.count(1)
ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """manage.py in its own process, as an admin runs it: the exit status and stderr they see."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def inside_one_window(seconds: int = 60, *, room: float = 5) -> None:
    """Rate limits count per fixed window (core.ratelimit): a test counting across a window's
    end would see its counter start again (the cross-process test failed so once in a dozen).
    Waits, if need be, for a new window, so that ``room`` seconds of it are left. Windows of
    900 and 3,600 s end on a minute too, so the 60 s default guards them as well."""
    left = seconds - time.time() % seconds
    if left < room:
        time.sleep(left + 0.05)


def make_user(*, username: str | None = None, full_name: str = "Ada Lovelace", **extra) -> User:
    username = username or f"learner{next(_counter)}"
    return User.objects.create_user(
        username=username, password="correct horse battery staple", full_name=full_name, **extra
    )


def make_course(
    *,
    chapters: int = 3,
    slug: str | None = None,
    title: str = "Sample Course",
    published: bool = True,
    words: int = 50,
) -> Course:
    course = Course.objects.create(
        title=title, slug=slug or f"course-{next(_counter)}", published=published
    )
    body = " ".join(["word"] * words)
    Chapter.objects.bulk_create(
        [
            Chapter(
                course=course,
                position=n,
                title=f"Chapter {n}",
                slug=f"chapter-{n}",
                body_markdown=body,
                word_count=words,
                reading_minutes=max(1, round(words / 200)),
                body_html=f"<p>{body}</p>",
            )
            for n in range(1, chapters + 1)
        ]
    )
    return course


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing strength is Django's concern; the suite needs speed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _own_cache_folder(tmp_path_factory):
    """The suite's file cache lives in a folder of its own: never the one `make run` serves
    from (var/cache), whose sessions and cached users would otherwise mix with the suite's."""
    default = settings.CACHES["default"]
    if default["BACKEND"] != "core.filecache.FileCache":
        yield  # a Redis server started for the run: its own already
        return
    own = {
        **settings.CACHES,
        "default": {**default, "LOCATION": str(tmp_path_factory.mktemp("cache"))},
    }
    with override_settings(CACHES=own):
        yield


@pytest.fixture(scope="session", autouse=True)
def _no_release_lock_left_behind():
    """core.locks keeps its lock file beside an SQLite database: the test database goes at
    the end of the run, and its lock file with it (it was left in the temp folder)."""
    yield
    name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if name and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        Path(f"{name}.release-lock").unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache; ids repeat across tests, so counts must not.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def certificate_storage(settings, tmp_path):
    """Certificate PDFs go to the configured backend, in a folder of the test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "certificates": {
            **settings.STORAGES["certificates"],
            "OPTIONS": {"location": tmp_path / "certificates", "base_url": None},
        },
    }
    # The field took its storage when the model was defined: point it at the new one.
    field = Certificate._meta.get_field("pdf")
    configured = field.storage
    field.storage = storages["certificates"]
    yield tmp_path / "certificates"
    field.storage = configured


@pytest.fixture
def learner(db):
    return make_user()


@pytest.fixture
def logged_in_client(client, learner):
    client.force_login(learner)
    return client


def make_question(
    *,
    chapter: Chapter | None = None,
    course: Course | None = None,
    qtype: str = "single",
    stem: str = "Which technique helps?",
    choices: list[dict] | None = None,
    status: str = "published",
    general_feedback: str = "",
):
    """A question with its choices; ``choices`` are Choice field dicts in display order."""
    from quizzes.models import Choice, Question

    if choices is None:
        choices = [
            {"text": "Active listening", "fraction": 1},
            {"text": "Raising your voice", "fraction": 0, "feedback": "That escalates."},
            {"text": "Ignoring the customer", "fraction": 0},
            {"text": "Changing the subject", "fraction": 0},
        ]
    question = Question.objects.create(
        course=course or chapter.course,
        chapter=chapter,
        qtype=qtype,
        stem_markdown=stem,
        status=status,
        general_feedback=general_feedback,
    )
    for position, fields in enumerate(choices, start=1):
        Choice.objects.create(question=question, position=position, **fields)
    return question


def choice_key(question, text: str) -> str:
    return question.choices.get(text=text).key

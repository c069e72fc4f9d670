"""Shared test helpers: small factories over the real database."""

import itertools

import pytest

from accounts.models import User
from courses.models import Chapter, Course

_counter = itertools.count(1)


def make_user(*, username: str | None = None, full_name: str = "Ada Lovelace", **extra) -> User:
    username = username or f"learner{next(_counter)}"
    return User.objects.create_user(
        username=username, password="correct horse battery staple", full_name=full_name, **extra
    )


def make_course(*, chapters: int = 3, slug: str | None = None, title: str = "Sample Course",
                published: bool = True, words: int = 50) -> Course:
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


@pytest.fixture
def learner(db):
    return make_user()


@pytest.fixture
def logged_in_client(client, learner):
    client.force_login(learner)
    return client

"""Simultaneous requests: one certificate per completion race, every answer recorded.

Real threads, each with its own database connection, released together by a barrier.
Runs on SQLite (WAL, IMMEDIATE transactions) and on PostgreSQL in `make test`.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from learning.models import ChapterProgress, Enrollment
from quizzes.models import Attempt
from tests.conftest import make_course, make_question, make_user
from tests.exercise_form import form_choice

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 16


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "answer": (1000, 60)}


def post_together(clients, url, data_for) -> list:
    barrier = threading.Barrier(len(clients))
    results: list = [None] * len(clients)

    def run(index, client):
        try:
            barrier.wait(timeout=30)
            results[index] = client.post(url, data_for(index)).status_code
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_sixteen_simultaneous_completions_issue_exactly_one_certificate():
    course = make_course(chapters=1)
    chapter = course.chapters.get()
    question = make_question(chapter=chapter)
    learner = make_user(full_name="Grace Hopper")
    enrollment = Enrollment.objects.create(learner=learner, course=course)
    ChapterProgress.objects.create(
        enrollment=enrollment, chapter=chapter, read_at=timezone.now() - timedelta(minutes=5)
    )
    clients = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(learner)
        clients.append(client)
    right = {"question": question.pk, "choice": form_choice(question, "Active listening", learner)}

    results = post_together(
        clients, reverse("learning:answer", args=[course.slug, chapter.slug]), lambda i: right
    )

    assert results == [302] * THREADS
    assert Certificate.objects.filter(learner=learner, course=course).count() == 1
    assert Attempt.objects.filter(learner=learner).count() == THREADS
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None


def test_sixteen_simultaneous_answers_are_all_recorded():
    course = make_course(chapters=2)
    chapter = course.chapters.get(position=1)
    question = make_question(chapter=chapter)
    learners = [make_user() for _ in range(THREADS)]
    clients = []
    for learner in learners:
        client = Client()
        client.force_login(learner)
        clients.append(client)
    texts = ["Active listening", "Raising your voice"]

    results = post_together(
        clients,
        reverse("learning:answer", args=[course.slug, chapter.slug]),
        lambda i: {
            "question": question.pk,
            "choice": form_choice(question, texts[i % 2], learners[i]),
        },
    )

    assert results == [302] * THREADS
    assert Attempt.objects.filter(question=question).count() == THREADS
    assert Attempt.objects.filter(question=question, correct=True).count() == THREADS // 2
    assert set(Attempt.objects.values_list("learner", flat=True)) == {u.pk for u in learners}

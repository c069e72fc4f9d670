"""The completion rule's one home, and everything that shows it (issue 10)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates.credentials import credential_build
from certificates.models import Certificate
from courses.models import Course
from learning import progress
from learning.completion import course_is_complete
from learning.models import Enrollment
from learning.services import answer_submit, chapter_finish
from tests.conftest import choice_key, make_course, make_question, make_user
from tests.test_progress import answer as _answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def pass_mark_course():
    course = make_course(chapters=2, title="Pass Mark Course")
    course.completion_rule = Course.CompletionRule.PASS_MARK
    course.pass_mark_percent = 100
    course.save()
    for chapter in course.chapters.all():
        make_question(chapter=chapter)
    return course


def _finish_with_one_wrong_first_try(learner, course):
    first, second = course.questions.order_by("chapter__position")
    _answer(learner, first, "Raising your voice")
    _answer(learner, first, "Active listening")
    _answer(learner, second, "Active listening")
    for chapter in course.chapters.all():
        chapter_finish(learner=learner, chapter=chapter)


def test_a_pass_mark_not_reached_leaves_the_course_incomplete_everywhere(client, pass_mark_course):
    learner = make_user()
    _finish_with_one_wrong_first_try(learner, pass_mark_course)
    assert not course_is_complete(learner=learner, course=pass_mark_course)
    assert Enrollment.objects.get(learner=learner).completed_at is None
    assert not Certificate.objects.exists()

    client.force_login(learner)
    mine = client.get(reverse("learning:my_learning")).content.decode()
    assert "View certificate" not in mine
    assert "Not complete yet" in mine and "at least 100% of the exercise questions" in mine
    overview = client.get(pass_mark_course.get_absolute_url()).content.decode()
    assert "Every chapter is done, but the course is not complete yet." in overview
    assert "Your certificate" not in overview


def test_a_learner_without_a_name_is_asked_for_it_not_shown_a_certificate(client):
    course = make_course(chapters=1)
    make_question(chapter=course.chapters.get())
    learner = make_user(full_name="")
    _answer(learner, course.questions.get(), "Active listening")
    chapter_finish(learner=learner, chapter=course.chapters.get())
    assert course_is_complete(learner=learner, course=course)
    assert not Certificate.objects.exists()

    client.force_login(learner)
    mine = client.get(reverse("learning:my_learning")).content.decode()
    assert "View certificate" not in mine
    assert "Add your name to receive your certificate" in mine
    overview = client.get(course.get_absolute_url()).content.decode()
    assert "Add your name</a> to receive your certificate" in overview


def test_a_completed_named_learner_sees_the_certificate(client):
    course = make_course(chapters=1)
    make_question(chapter=course.chapters.get())
    learner = make_user(full_name="Grace Hopper")
    _answer(learner, course.questions.get(), "Active listening")
    certificate = Certificate.objects.get(learner=learner)
    client.force_login(learner)
    mine = client.get(reverse("learning:my_learning")).content.decode()
    assert f'href="{certificate.get_absolute_url()}">View certificate' in mine


@pytest.mark.parametrize(
    ("rule", "criteria"),
    [
        (
            Course.CompletionRule.ALL_PASSED,
            "Read every chapter and answered every chapter exercise correctly.",
        ),
        (
            Course.CompletionRule.PASS_MARK,
            "Read every chapter and answered at least 60% of the exercise questions right on "
            "the first try.",
        ),
    ],
)
def test_the_credential_states_the_courses_own_rule(rule, criteria):
    course = make_course(chapters=1)
    course.completion_rule = rule
    course.pass_mark_percent = 60
    course.save()
    learner = make_user()
    chapter_finish(learner=learner, chapter=course.chapters.get())
    certificate = Certificate.objects.get(learner=learner)
    payload = credential_build(certificate=certificate)
    achievement = payload["credentialSubject"]["achievement"]
    assert achievement["criteria"]["narrative"] == criteria
    assert criteria in json.dumps(payload, ensure_ascii=False)


def test_a_wrong_answer_never_passes_a_chapter(learner):
    course = make_course(chapters=1)
    question = make_question(chapter=course.chapters.get())
    outcome = _answer(learner, question, "Raising your voice")
    assert not outcome.chapter_passed and not outcome.grade.correct
    state = progress.course_progress(learner=learner, course=course)
    assert state.passed_ids == set() and state.read_ids == {course.chapters.get().pk}


def test_an_answer_is_one_transaction_from_grade_to_certificate(learner):
    course = make_course(chapters=1)
    question = make_question(chapter=course.chapters.get())
    chapter_finish(learner=learner, chapter=course.chapters.get())  # read, not passed
    question.refresh_from_db()
    response = {"choice": choice_key(question, "Active listening")}
    with CaptureQueriesContext(connection) as queries:
        outcome = answer_submit(learner=learner, question=question, response=response)
    assert outcome.course_completed and outcome.chapter_passed
    assert Certificate.objects.filter(learner=learner, course=course).count() == 1
    # Inside the test's own transaction the service's atomic block is a savepoint: the
    # attempt, the progress, the completion and the certificate are all written within it.
    # Only reads come first (the learner's progress row; they take no write lock).
    sql = [q["sql"] for q in queries.captured_queries]
    start = next(i for i, q in enumerate(sql) if q.startswith("SAVEPOINT"))
    assert start > 0 and all(q.startswith("SELECT") for q in sql[:start])
    savepoint = sql[start].split()[-1]
    assert sql[-1].startswith("RELEASE SAVEPOINT") and sql[-1].split()[-1] == savepoint
    writes = [i for i, q in enumerate(sql) if q.startswith(("INSERT", "UPDATE"))]
    assert len(writes) >= 3 and all(start < i < len(sql) - 1 for i in writes)

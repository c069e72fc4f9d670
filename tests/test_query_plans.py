"""Hot paths use indexes: no whole-table scans, no temporary sorts (issue 14); how a plan
is read and judged is in tests/query_plans.py."""

import pytest
from django.db import connection

from courses.models import Chapter
from learning.models import ChapterProgress, Enrollment
from learning.progress import enrolled_sql, progress_row_sql
from learning.reports import progress_counts
from quizzes.models import Attempt, Choice, Question
from quizzes.selectors import answered_right_sql
from tests.conftest import make_course, make_question, make_user
from tests.query_plans import assert_indexed, plan, plan_sql

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    course = make_course(chapters=5)
    chapter = course.chapters.get(position=2)
    questions = [make_question(chapter=chapter, stem=f"Q{n}?") for n in range(3)]
    learner = make_user()
    for question in questions:
        for _ in range(3):
            Attempt.objects.create(learner=learner, question=question, score=0, correct=False)
    return course, chapter, questions, learner


def test_which_questions_the_learner_passed_reads_the_index(data):
    _, _, questions, learner = data
    text = plan_sql(
        *answered_right_sql(learner_id=learner.pk, question_ids=[q.pk for q in questions])
    )
    assert_indexed(text, sorted_ok=True)  # PostgreSQL may sort for DISTINCT on 3 ids
    if connection.vendor == "sqlite":
        assert "attempt_right_answers" in text


def test_is_the_learner_enrolled_reads_the_unique_index(data):
    course, _, _, learner = data
    Enrollment.objects.create(learner=learner, course=course)
    text = plan_sql(*enrolled_sql(learner_id=learner.pk, course_id=course.pk))
    assert_indexed(text)
    if connection.vendor == "sqlite":
        assert "one_enrollment_per_learner_and_course" in text or "sqlite_autoindex" in text


def test_a_learners_progress_row_is_found_by_the_unique_indexes(data):
    course, chapter, _, learner = data
    enrollment = Enrollment.objects.create(learner=learner, course=course)
    ChapterProgress.objects.create(enrollment=enrollment, chapter=chapter)
    text = plan_sql(
        *progress_row_sql(learner_id=learner.pk, course_id=course.pk, chapter_id=chapter.pk)
    )
    assert_indexed(text)
    if connection.vendor == "sqlite":
        assert "one_progress_per_enrollment_and_chapter" in text or "sqlite_autoindex" in text


def test_the_report_funnel_counts_from_the_index_alone(data):
    course, chapter, _, learner = data
    enrollment = Enrollment.objects.create(learner=learner, course=course)
    ChapterProgress.objects.create(enrollment=enrollment, chapter=chapter)
    chapter_ids = list(course.chapters.values_list("pk", flat=True))
    text = plan(progress_counts(chapter_ids=chapter_ids))
    assert_indexed(text)
    assert "progress_chapter_moments" in text
    if connection.vendor == "sqlite":
        assert "COVERING INDEX progress_chapter_moments" in text


def test_a_courses_chapters_in_order_need_no_sort_and_no_join(data):
    course, *_ = data
    queryset = (
        Chapter.objects.filter(course_id=course.pk)
        .order_by("position")
        .values_list("id", flat=True)
    )
    text = plan(queryset)
    assert_indexed(text)
    assert "courses_course" not in str(queryset.query)


def test_default_orderings_join_nothing():
    for model in (Chapter, Question, Choice):
        assert " JOIN " not in str(model.objects.all().query), model

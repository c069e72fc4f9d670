"""Enrollment, chapters read, exercises passed, and the completion rule."""

import pytest
from django.urls import reverse

from courses.models import Course
from learning import progress
from learning.completion import course_is_complete
from learning.models import Enrollment
from learning.services import answer_submit
from quizzes.models import Attempt
from quizzes.selectors import first_try_share
from tests.conftest import choice_key, make_course, make_question, make_user

pytestmark = pytest.mark.django_db


def chapter_url(course, n):
    return reverse("learning:chapter", args=[course.slug, f"chapter-{n}"])


def done_url(course, n):
    return reverse("learning:chapter_done", args=[course.slug, f"chapter-{n}"])


def answer(learner, question, text):
    question.refresh_from_db()
    return answer_submit(
        learner=learner, question=question, response={"choice": choice_key(question, text)}
    )


@pytest.fixture
def course():
    course = make_course(chapters=3)
    for chapter in course.chapters.all()[:2]:
        make_question(chapter=chapter)
    return course  # chapters 1 and 2 have exercises, chapter 3 has none


def test_opening_the_first_chapter_enrolls_the_learner(logged_in_client, learner, course):
    logged_in_client.get(chapter_url(course, 2))
    assert not Enrollment.objects.filter(learner=learner).exists()
    logged_in_client.get(chapter_url(course, 1))
    assert Enrollment.objects.filter(learner=learner, course=course).count() == 1
    logged_in_client.get(chapter_url(course, 1))
    assert Enrollment.objects.filter(learner=learner, course=course).count() == 1


def test_start_button_enrolls_and_opens_first_unfinished_chapter(logged_in_client, course):
    response = logged_in_client.post(reverse("learning:start", args=[course.slug]))
    assert response.status_code == 302 and response["Location"] == chapter_url(course, 1)


def test_visitors_read_without_enrollment(client, course):
    assert client.get(chapter_url(course, 1)).status_code == 200
    response = client.post(done_url(course, 1))
    assert response["Location"] == chapter_url(course, 2)
    assert not Enrollment.objects.exists()


def test_moving_to_the_next_page_marks_chapter_read(logged_in_client, learner, course):
    response = logged_in_client.post(done_url(course, 1))
    assert response["Location"] == chapter_url(course, 2)
    state = progress.course_progress(learner=learner, course=course)
    assert state.chapter_state(course.chapters.get(position=1).pk) == "read"


def test_reaching_the_end_beacon_marks_read_without_redirect(logged_in_client, learner, course):
    response = logged_in_client.post(done_url(course, 3), {"beacon": "1"})
    assert response.status_code == 204
    state = progress.course_progress(learner=learner, course=course)
    assert state.chapter_state(course.chapters.get(position=3).pk) == "done"


def test_exercise_passed_once_answered_right(learner, course):
    question = course.questions.get(chapter__position=1)
    assert not answer(learner, question, "Raising your voice").chapter_passed
    assert answer(learner, question, "Active listening").chapter_passed
    state = progress.course_progress(learner=learner, course=course)
    assert state.chapter_state(question.chapter_id) == "passed"


def test_chapter_with_two_questions_passes_when_both_are_right(learner, course):
    chapter = course.chapters.get(position=1)
    second = make_question(chapter=chapter, stem="Second?")
    first = course.questions.get(chapter=chapter, stem_markdown="Which technique helps?")
    assert not answer(learner, first, "Active listening").chapter_passed
    assert answer(learner, second, "Active listening").chapter_passed


def finish_everything(client, learner, course):
    for n in (1, 2, 3):
        client.post(done_url(course, n))
    for question in course.questions.all():
        answer(learner, question, "Active listening")


def test_default_rule_needs_every_chapter_read_and_every_exercise_passed(learner, course):
    for chapter in course.chapters.all():
        progress.chapter_mark_read(learner=learner, chapter=chapter)
    assert not course_is_complete(learner=learner, course=course)
    answer(learner, course.questions.get(chapter__position=1), "Active listening")
    assert not course_is_complete(learner=learner, course=course)
    answer(learner, course.questions.get(chapter__position=2), "Active listening")
    assert course_is_complete(learner=learner, course=course)
    assert Enrollment.objects.get(learner=learner, course=course).completed_at is not None


def test_default_rule_needs_reading_even_when_exercises_pass(learner, course):
    for question in course.questions.all():
        answer(learner, question, "Active listening")
    # Answering marks chapters 1 and 2 read, chapter 3 is still unread.
    assert not course_is_complete(learner=learner, course=course)


def test_pass_mark_rule_counts_first_tries(course):
    course.completion_rule = Course.CompletionRule.PASS_MARK
    course.pass_mark_percent = 50
    course.save()
    good, poor = make_user(), make_user()
    q1, q2 = course.questions.order_by("chapter__position")
    for learner, first_texts in (
        (good, ["Active listening", "Raising your voice"]),
        (poor, ["Raising your voice", "Raising your voice"]),
    ):
        for question, text in zip((q1, q2), first_texts, strict=True):
            answer(learner, question, text)
            answer(learner, question, "Active listening")  # right on the second try
        for chapter in course.chapters.all():
            progress.chapter_mark_read(learner=learner, chapter=chapter)
    assert first_try_share(learner=good, course=course) == 0.5
    assert course_is_complete(learner=good, course=course)
    assert first_try_share(learner=poor, course=course) == 0
    assert not course_is_complete(learner=poor, course=course)


def test_pass_mark_rule_still_needs_every_chapter_read(learner, course):
    course.completion_rule = Course.CompletionRule.PASS_MARK
    course.save()
    for question in course.questions.all():
        answer(learner, question, "Active listening")
    assert not course_is_complete(learner=learner, course=course)


def test_course_without_exercises_completes_when_all_read(learner):
    course = make_course(chapters=2)
    for chapter in course.chapters.all():
        progress.chapter_mark_read(learner=learner, chapter=chapter)
    assert course_is_complete(learner=learner, course=course)


def test_completion_is_reported_once(learner, course):
    for chapter in course.chapters.all():
        progress.chapter_mark_read(learner=learner, chapter=chapter)
    answer(learner, course.questions.get(chapter__position=1), "Active listening")
    assert answer(
        learner, course.questions.get(chapter__position=2), "Active listening"
    ).course_completed
    assert not answer(
        learner, course.questions.get(chapter__position=2), "Active listening"
    ).course_completed


def test_overview_shows_states_and_percentage(logged_in_client, learner, course):
    logged_in_client.post(done_url(course, 1))
    logged_in_client.post(done_url(course, 3))
    answer(learner, course.questions.get(chapter__position=2), "Active listening")
    html = logged_in_client.get(reverse("learning:overview", args=[course.slug])).content.decode()
    # 5 units: 3 chapters to read + 2 exercises; read 1, 2, 3 and passed 2 → 4/5.
    assert "80% complete" in html
    assert html.count("Exercise passed") == 1
    assert html.count(">Read<") == 2
    assert "Continue: Chapter 1" in html


def test_my_learning_lists_percentage_and_continue_link(logged_in_client, course):
    logged_in_client.post(done_url(course, 1))
    html = logged_in_client.get(reverse("learning:my_learning")).content.decode()
    # Chapters and exercises, not the course: "100% complete" sat above "Not complete yet"
    # when only the exam was left (issue 25).
    assert "20% of the chapters and exercises done" in html
    assert f'href="{chapter_url(course, 1)}">Continue' in html


def test_catalogue_shows_percentage_for_enrolled_courses(logged_in_client, course):
    other = make_course(chapters=1, title="Other course")
    logged_in_client.post(done_url(course, 1))
    html = logged_in_client.get("/").content.decode()
    assert "20% complete" in html
    assert html.count("% complete") == 1
    assert other.title in html


def test_learners_see_only_their_own_progress(client, course):
    alice, bob = make_user(), make_user()
    client.force_login(alice)
    client.post(done_url(course, 1))
    client.force_login(bob)
    html = client.get(reverse("learning:overview", args=[course.slug])).content.decode()
    assert "20% complete" not in html
    assert not Attempt.objects.filter(learner=bob).exists()


def test_overview_rows_carry_each_chapters_own_badge_in_order(client, learner):
    course = make_course(chapters=5)
    for position in (2, 4):
        progress.chapter_mark_read(learner=learner, chapter=course.chapters.get(position=position))
    url = reverse("learning:overview", args=[course.slug])
    visitor = client.get(url).content.decode()
    assert "chapter-state" not in visitor and visitor.count("list-group-item") == 5
    client.force_login(learner)
    html = client.get(url).content.decode()
    listed = html.split('<ol class="list-group')[1].split("</ol>")[0]  # inside the list
    assert html.rstrip().endswith("</html>")
    rows = listed.split('class="list-group-item')[1:]
    assert [f"Chapter {n}<" in row for n, row in enumerate(rows, start=1)] == [True] * 5
    badges = [row.split('chapter-state">')[1].split("<")[0] for row in rows]
    assert badges == ["Not started", "Read", "Not started", "Read", "Not started"]

"""The demo course that `make run` loads: complete, readable, answerable, and in sync."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from courses.models import Course
from demo import services as demo
from quizzes.models import Question
from quizzes.services import response_grade
from tests.conftest import make_course

pytestmark = pytest.mark.django_db

TECHNIQUES = [
    "Active Listening",
    "Empathy",
    "Patience",
    "Clear Communication",
    "Stay Calm",
    "Problem-Solving",
    "Apologize Sincerely",
    "Offer Solutions",
    "Follow-Up",
    "Set Boundaries",
    "Use Positive Language",
    "De-escalation Techniques",
    "Acknowledge the Customer's Feelings",
    "Be Honest",
    "Empowerment",
    "Use Technology",
    "Training and Development",
    "Stay Solution-Focused",
    "Personalize the Interaction",
    "Build Rapport",
    "Document the Interaction",
    "Evaluate and Learn",
    "Maintain Professionalism",
    "Seek Feedback",
]
ACTIVE_LISTENING_STEM = (
    "Which of the following conflict resolution techniques involves fully concentrating, "
    "understanding, responding, and remembering what the customer is saying?"
)


@pytest.fixture
def course():
    call_command("load_demo", stdout=StringIO())
    return Course.objects.get(slug=demo.SLUG)


def test_all_24_techniques_are_sections_of_the_course(course):
    headings = set()
    for chapter in course.chapters.all():
        headings |= set(re.findall(r"^## (.+)$", chapter.body_markdown, re.MULTILINE))
    missing = [name for name in TECHNIQUES if name not in headings]
    assert not missing


def test_six_to_ten_chapters_of_three_to_six_minutes(course):
    chapters = list(course.chapters.order_by("position"))
    assert 6 <= len(chapters) <= 10
    assert [c.position for c in chapters] == list(range(1, len(chapters) + 1))
    for chapter in chapters:
        assert 3 <= chapter.reading_minutes <= 6, (chapter.title, chapter.reading_minutes)


def test_every_chapter_has_a_published_exercise(course):
    for chapter in course.chapters.all():
        assert chapter.questions.filter(status=Question.Status.PUBLISHED).exists(), chapter.title


def test_the_active_listening_exercise_grades_active_listening_right(course):
    question = Question.objects.get(course=course, stem_markdown=ACTIVE_LISTENING_STEM)
    right = question.choices.get(text="Active listening")
    assert response_grade(question=question, response={"choice": right.key}).correct
    wrong = question.choices.exclude(pk=right.pk).first()
    assert not response_grade(question=question, response={"choice": wrong.key}).correct


def test_chapter_page_reads_like_the_ebook(client, course):
    first, second = course.chapters.order_by("position")[:2]
    page = client.get(first.get_absolute_url()).content.decode()
    assert f"{first.reading_minutes} minutes" in page
    assert "Now answer the exercise about the content:" in page
    assert f"Next page: {second.position} {second.title}" in page


def test_committed_fixture_matches_its_sources():
    assert demo.demo_fixture_build() == demo.FIXTURE.read_text(encoding="utf-8"), (
        "fixtures/demo_course.json is stale: run `python manage.py build_demo_fixture`"
    )


def test_load_demo_uses_the_fixture_in_an_empty_database():
    out = StringIO()
    call_command("load_demo", stdout=out)
    course = Course.objects.get(slug=demo.SLUG)
    assert course.pk == 1 and course.title == "Handling Customer Conflict"
    assert out.getvalue().startswith("Loaded demo course 'Handling Customer Conflict': ")
    assert '<h2 id="s-active-listening">Active Listening</h2>' in "".join(
        course.chapters.values_list("body_html", flat=True)
    )


def test_load_demo_if_empty_leaves_a_database_with_courses_alone():
    make_course(slug="mine")
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert "already has courses" in out.getvalue()
    assert list(Course.objects.values_list("slug", flat=True)) == ["mine"]


def test_load_demo_next_to_other_courses_imports_from_the_sources():
    mine = make_course(slug="mine")
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())  # again: updated in place, nothing doubled
    course = Course.objects.get(slug=demo.SLUG)
    assert mine.chapters.count() == 3
    # One exercise and two exam-bank questions per chapter (a bank twice the exam's draw,
    # issue 26), not doubled by the second load.
    assert course.questions.count() == 3 * course.chapters.count()
    assert reverse("learning:overview", args=[demo.SLUG]) == course.get_absolute_url()


def test_the_demo_exam_asks_other_questions_than_the_chapter_exercises():
    from learning import exam

    call_command("load_demo", stdout=StringIO())
    course = Course.objects.get(slug=demo.SLUG)
    bank = exam._bank(course)
    exercises = set(course.questions.filter(chapter__isnull=False).values_list("pk", flat=True))
    drawn = exam.exam_draw(bank=bank, size=course.exam_questions, seed="any learner")
    assert len(drawn) == course.exam_questions == 7
    assert not set(drawn) & exercises
    # Every chapter is asked about once.
    assert sorted(bank) == sorted(course.chapters.values_list("pk", flat=True))

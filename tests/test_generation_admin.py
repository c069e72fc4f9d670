"""Generating questions from the admin and reviewing the drafts (issue 11)."""

import pytest
from django.urls import reverse

from accounts.models import User
from courses.models import Chapter, Course
from quizzes.models import Question
from tests.test_generation_structures import FOUR

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("admin", "admin@example.com", "pw"))
    return client


@pytest.fixture
def course():
    course = Course.objects.create(title="Calm", slug="calm")
    Chapter.objects.create(
        course=course, position=1, title="Five Techniques", slug="five", body_markdown=FOUR
    )
    return course


def test_the_course_action_asks_for_kinds_then_makes_drafts(admin_client, course):
    url = reverse("admin:courses_course_changelist")
    ask = admin_client.post(
        url, {"action": "generate_for_courses", "_selected_action": [course.pk]}
    )
    page = ask.content.decode()
    assert ask.status_code == 200 and "Generate questions" in page
    assert 'value="matching"' in page and 'value="truefalse"' in page

    done = admin_client.post(
        url,
        {
            "action": "generate_for_courses",
            "_selected_action": [course.pk],
            "kinds": ["single", "truefalse"],
            "generate": "Generate",
        },
        follow=True,
    )
    html = done.content.decode()
    assert done.redirect_chain[-1][0] == reverse("admin:quizzes_question_review")
    assert "Calm: 11 draft items (5 single, 0 matching, 0 missingword, 6 truefalse)" in html
    assert set(Question.objects.values_list("status", flat=True)) == {"draft"}
    assert set(Question.objects.values_list("qtype", flat=True)) == {"single", "truefalse"}


def test_the_chapter_action_generates_for_that_chapter(admin_client, course):
    chapter = course.chapters.get()
    admin_client.post(
        reverse("admin:courses_chapter_changelist"),
        {
            "action": "generate_for_chapters",
            "_selected_action": [chapter.pk],
            "kinds": ["matching"],
            "generate": "Generate",
        },
    )
    assert list(Question.objects.values_list("qtype", "source_chapter")) == [
        ("matching", chapter.pk)
    ]


def test_a_chapter_with_nothing_to_ask_says_why(admin_client):
    course = Course.objects.create(title="Plain", slug="plain")
    chapter = Chapter.objects.create(
        course=course, position=1, title="Prose", slug="prose", body_markdown="Only prose.\n"
    )
    html = admin_client.post(
        reverse("admin:courses_chapter_changelist"),
        {
            "action": "generate_for_chapters",
            "_selected_action": [chapter.pk],
            "kinds": ["single"],
            "generate": "Generate",
        },
        follow=True,
    ).content.decode()
    assert "nothing recognised" in html


def _generate(admin_client, course, kinds):
    admin_client.post(
        reverse("admin:courses_course_changelist"),
        {
            "action": "generate_for_courses",
            "_selected_action": [course.pk],
            "kinds": kinds,
            "generate": "Generate",
        },
    )


def test_the_review_screen_shows_each_draft_beside_its_passage(admin_client, course):
    _generate(admin_client, course, ["single"])
    html = admin_client.get(reverse("admin:quizzes_question_review")).content.decode()
    assert "5 generated drafts" in html
    assert "Mirroring means repeating the last few words the customer said." in html
    mirroring = Question.objects.get(source_term="Mirroring")
    assert reverse("admin:quizzes_question_change", args=[mirroring.pk]) in html


def test_drafts_are_published_and_discarded_in_bulk(admin_client, course):
    _generate(admin_client, course, ["single"])
    first, second, *rest = Question.objects.order_by("pk")
    url = reverse("admin:quizzes_question_review")
    admin_client.post(url, {"question": [first.pk, second.pk], "publish": "1"})
    assert set(
        Question.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    ) == {"published"}
    admin_client.post(url, {"question": [r.pk for r in rest], "discard": "1"})
    assert Question.objects.count() == 2
    # A published question is not discarded from here.
    admin_client.post(url, {"question": [first.pk], "discard": "1"})
    assert Question.objects.filter(pk=first.pk).exists()


def test_the_review_screen_needs_a_staff_login(client):
    response = client.get(reverse("admin:quizzes_question_review"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

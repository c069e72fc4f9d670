"""Generating questions from the admin and reviewing the drafts (issue 11)."""

import pytest
from django.urls import reverse

from accounts.models import User
from courses.models import Chapter, Course
from quizzes.models import Attempt, Question
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
    # The summary counts what was made, per kind.
    singles = Question.objects.filter(qtype="single").count()
    statements = Question.objects.filter(qtype="truefalse").count()
    assert singles == 5 and statements >= 5
    assert (
        f"Calm: {singles + statements} draft items ({singles} single, 0 matching, "
        f"0 missingword, {statements} truefalse)"
    ) in html
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
    assert "5 items to review." in html
    assert "Mirroring means repeating the last few words the customer said." in html
    mirroring = Question.objects.get(source_term="Mirroring")
    assert reverse("admin:quizzes_question_change", args=[mirroring.pk]) + "?from=review" in html
    # Which draft becomes the chapter's exercise, which go to the exam.
    assert html.count("the chapter's exercise") == 1
    assert html.count("an exam item") == 4


def test_publishing_from_the_review_can_be_undone(admin_client, course):
    _generate(admin_client, course, ["single"])
    first, second, *_rest = Question.objects.order_by("pk")
    url = reverse("admin:quizzes_question_review")
    admin_client.post(url, {"question": [first.pk, second.pk], "publish": "1"})
    published = Question.objects.filter(pk__in=[first.pk, second.pk])
    assert set(published.values_list("status", flat=True)) == {"published"}
    page = admin_client.get(url).content.decode()
    assert "Published by mistake?" in page and 'name="undo"' in page
    admin_client.post(url, {"undo": "1"})
    assert set(published.values_list("status", flat=True)) == {"draft"}


def test_discarding_asks_first_warns_and_can_be_undone(admin_client, course):
    _generate(admin_client, course, ["single"])
    url = reverse("admin:quizzes_question_review")
    chosen = list(Question.objects.values_list("pk", flat=True))
    asked = admin_client.post(url, {"question": chosen, "discard": "1"})
    html = asked.content.decode()
    assert asked.status_code == 200 and "Discard these 5 drafts?" in html
    # The planned exercise is among them: the chapter would be left without one.
    assert "These chapters would be left without an exercise:" in html
    assert Question.objects.count() == 5  # nothing discarded before the confirmation

    admin_client.post(url, {"question": chosen, "confirm_discard": "1"})
    assert Question.objects.count() == 0
    admin_client.post(url, {"undo": "1"})
    assert sorted(Question.objects.values_list("pk", flat=True)) == sorted(chosen)
    assert all(q.choices.count() == 4 for q in Question.objects.all())


def test_a_published_question_is_not_discarded_from_the_review(admin_client, course):
    _generate(admin_client, course, ["single"])
    first = Question.objects.order_by("pk").first()
    Question.objects.filter(pk=first.pk).update(status="published")
    url = reverse("admin:quizzes_question_review")
    admin_client.post(url, {"question": [first.pk], "confirm_discard": "1"})
    assert Question.objects.filter(pk=first.pk).exists()


def test_the_review_filters_by_kind_and_by_why_an_item_is_there(admin_client, course):
    _generate(admin_client, course, ["single", "truefalse"])
    url = reverse("admin:quizzes_question_review")
    singles = admin_client.get(url, {"kind": "single"}).content.decode()
    assert "5 items to review." in singles and "True/false:" not in singles
    returned = Question.objects.filter(qtype="single").first()
    Question.objects.filter(pk=returned.pk).update(review_reason="reported by 3 learners")
    learner = User.objects.create_user("learner-a", password="a long passphrase 42")
    choice = returned.choices.get(fraction=1)
    Attempt.objects.create(
        learner=learner, question=returned, response={"choice": choice.key}, score=1, correct=True
    )
    sent_back = admin_client.get(url, {"why": "returned"}).content.decode()
    assert "1 item to review." in sent_back and "Sent back: reported by 3 learners" in sent_back
    # The learners' picks are shown beside the reason.
    assert f"Picked: {choice.text} 1.00" in sent_back


def test_editing_from_the_review_returns_to_it(admin_client, course):
    _generate(admin_client, course, ["single"])
    question = Question.objects.order_by("pk").first()
    change = reverse("admin:quizzes_question_change", args=[question.pk]) + "?from=review"
    form = admin_client.get(change)
    assert "Mirroring means" in form.content.decode() or question.source_term in (
        form.content.decode()
    )
    data = {
        "course": question.course_id,
        "chapter": question.chapter_id or "",
        "name": "",
        "category": question.category,
        "qtype": question.qtype,
        "stem_markdown": question.stem_markdown + " (edited)",
        "general_feedback": "",
        "status": "draft",
        "origin": question.origin,
        "position": question.position,
        "choices-TOTAL_FORMS": question.choices.count(),
        "choices-INITIAL_FORMS": question.choices.count(),
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 1000,
    }
    for index, choice in enumerate(question.choices.order_by("position", "pk")):
        data.update(
            {
                f"choices-{index}-id": choice.pk,
                f"choices-{index}-question": question.pk,
                f"choices-{index}-position": choice.position,
                f"choices-{index}-text": choice.text,
                f"choices-{index}-fraction": choice.fraction,
                f"choices-{index}-feedback": "",
                f"choices-{index}-match_text": "",
                f"choices-{index}-value": "",
                f"choices-{index}-tolerance": "",
            }
        )
    saved = admin_client.post(change, data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert saved["Location"] == reverse("admin:quizzes_question_review")


def test_the_review_screen_needs_a_staff_login(client):
    response = client.get(reverse("admin:quizzes_question_review"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_review_screen_lists_what_the_gate_skipped_and_why(admin_client, course):
    chapter = course.chapters.get()
    chapter.body_markdown += "\n## Conclusion\nThat is all there is to it.\n"
    chapter.save()
    _generate(admin_client, course, ["single"])
    html = admin_client.get(reverse("admin:quizzes_question_review")).content.decode()
    assert "The last generation skipped 1 passage, with its reason" in html
    assert "<strong>Conclusion</strong>: a framing heading, not a term" in html

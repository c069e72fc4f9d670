"""The learner's side of an exercise, through real HTTP with Django's client."""

import re

import pytest
from django.urls import reverse

from quizzes.models import Attempt
from tests.conftest import choice_key, make_course, make_question, make_user
from tests.exercise_form import exercise_form, form_choice

pytestmark = pytest.mark.django_db

STEM = (
    "Which of the following conflict resolution techniques involves fully concentrating, "
    "understanding, responding, and remembering what the customer is saying?"
)


@pytest.fixture
def course():
    return make_course(chapters=2)


@pytest.fixture
def question(course):
    chapter = course.chapters.get(position=1)
    return make_question(chapter=chapter, stem=STEM, general_feedback="It is the cornerstone.")


def answer_url(course, chapter_slug="chapter-1"):
    return reverse("learning:answer", args=[course.slug, chapter_slug])


def chapter_url(course, chapter_slug="chapter-1"):
    return reverse("learning:chapter", args=[course.slug, chapter_slug])


def test_chapter_page_shows_exercise_after_the_text(client, course, question):
    html = client.get(chapter_url(course)).content.decode()
    assert html.index("word word") < html.index("Now answer the exercise about the content:")
    assert STEM in html


def test_visitor_is_asked_to_log_in_to_answer(client, course, question):
    html = client.get(chapter_url(course)).content.decode()
    assert "Log in to answer" in html
    response = client.post(
        answer_url(course),
        {"question": question.pk, "choice": choice_key(question, "Active listening")},
    )
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Attempt.objects.exists()


def test_wrong_answer_offers_retry_with_the_choice_feedback(
    logged_in_client, learner, course, question
):
    response = logged_in_client.post(
        answer_url(course),
        {"question": question.pk, "choice": form_choice(question, "Raising your voice", learner)},
        follow=True,
    )
    html = response.content.decode()
    assert "You missed! Try again." in html
    assert "That escalates." in html
    assert "You are right!" not in html
    assert 'name="choice"' in html  # the form is offered again


def test_right_answer_congratulates_and_points_to_next_page(
    logged_in_client, learner, course, question
):
    response = logged_in_client.post(
        answer_url(course),
        {"question": question.pk, "choice": form_choice(question, "Active listening", learner)},
        follow=True,
    )
    html = response.content.decode()
    assert "You are right! Congratulations, now go to the next page" in html
    assert "It is the cornerstone." in html
    start = html.index("You are right!")
    verdict = html[start : html.index("</form>", start)]
    # The verdict itself carries the way on: a button that marks the page read and moves on.
    assert "Next page: 2 Chapter 2, 1 minute" in verdict
    assert 'action="/courses/' in verdict and "/done/" in verdict


def test_result_is_shown_once_then_page_is_plain_again(logged_in_client, learner, course, question):
    logged_in_client.post(
        answer_url(course),
        {"question": question.pk, "choice": form_choice(question, "Active listening", learner)},
    )
    assert "You are right!" in logged_in_client.get(chapter_url(course)).content.decode()
    again = logged_in_client.get(chapter_url(course)).content.decode()
    assert "You are right!" not in again
    assert "You have answered this exercise correctly." in again


def test_every_submission_is_stored_as_an_attempt(logged_in_client, learner, course, question):
    for text in ["Raising your voice", "Ignoring the customer", "Active listening"]:
        logged_in_client.post(
            answer_url(course),
            {"question": question.pk, "choice": form_choice(question, text, learner)},
        )
    attempts = list(Attempt.objects.filter(learner=learner).order_by("created_at", "pk"))
    assert [a.correct for a in attempts] == [False, False, True]
    assert [float(a.score) for a in attempts] == [0, 0, 1]
    assert attempts[0].response == {"choice": choice_key(question, "Raising your voice")}
    assert all(a.created_at for a in attempts)


def test_answer_requires_csrf_token(course, question, learner):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    response = client.post(answer_url(course), {"question": question.pk, "choice": "x"})
    assert response.status_code == 403
    assert not Attempt.objects.exists()


def test_question_of_another_chapter_is_refused(logged_in_client, course, question):
    response = logged_in_client.post(
        answer_url(course, "chapter-2"), {"question": question.pk, "choice": "x"}
    )
    assert response.status_code == 404
    assert logged_in_client.post(answer_url(course), {"question": "abc"}).status_code == 404


def test_draft_question_is_neither_shown_nor_answerable(logged_in_client, course):
    draft = make_question(
        chapter=course.chapters.get(position=1), stem="Draft stem?", status="draft"
    )
    assert "Draft stem?" not in logged_in_client.get(chapter_url(course)).content.decode()
    response = logged_in_client.post(answer_url(course), {"question": draft.pk, "choice": "x"})
    assert response.status_code == 404


def _choice_values(html: str) -> list[str]:
    return re.findall(r'name="choice"[^>]*value="([^"]+)"', html)


def test_page_source_does_not_reveal_the_answer(client, learner, course, question):
    client.force_login(learner)
    html = client.get(chapter_url(course)).content.decode()
    inputs = re.findall(r"<input[^>]*name=\"choice\"[^>]*>", html)
    assert len(inputs) == 4
    # Choices differ only in value/id: strip those and every input is the same.
    shapes = {re.sub(r'(id|value)="[^"]*"', "", tag) for tag in inputs}
    assert len(shapes) == 1
    keys = {form_choice(question, c.text, learner) for c in question.choices.all()}
    assert set(_choice_values(html)) == keys
    # The stored keys never reach the page: the form speaks in per-learner names.
    assert not any(c.key in html for c in question.choices.all())
    for leak in ["That escalates.", "It is the cornerstone.", "fraction", "correct", "data-"]:
        assert leak not in html.split('id="exercise"')[1].split('id="chapter-end"')[0], leak


def test_choice_values_are_opaque(question):
    for choice in question.choices.all():
        assert choice.key not in {str(choice.pk), str(choice.position)}
        assert len(choice.key) >= 12


def test_choice_order_is_stable_per_learner_and_varies_between_learners(client, course):
    question = make_question(
        chapter=course.chapters.get(position=1),
        choices=[{"text": f"Option {n}", "fraction": 1 if n == 0 else 0} for n in range(8)],
    )
    orders = []
    for _ in range(6):
        learner = make_user()
        client.force_login(learner)
        first = _labels(client.get(chapter_url(course)).content.decode(), question)
        assert first == _labels(client.get(chapter_url(course)).content.decode(), question)
        orders.append(tuple(first))
    assert len(set(orders)) > 1
    assert all(set(order) == {c.text for c in question.choices.all()} for order in orders)


def _labels(html: str, question) -> list[str]:
    return list(exercise_form(html, question.pk).choices)


@pytest.mark.parametrize(
    ("qtype", "choices", "post", "expected"),
    [
        (
            "multiple",
            [
                {"text": "A", "fraction": 0.5},
                {"text": "B", "fraction": 0.5},
                {"text": "C", "fraction": -1},
            ],
            lambda form: form.choose("A", "B"),
            "You are right!",
        ),
        (
            "shortanswer",
            [{"text": "empathy", "fraction": 1}],
            lambda form: {"text": "Empathy"},
            "You are right!",
        ),
        (
            "numerical",
            [{"value": 24, "tolerance": 0, "fraction": 1}],
            lambda form: {"number": "23"},
            "You missed! Try again.",
        ),
        (
            "matching",
            [
                {"text": "Calm", "match_text": "Composure"},
                {"text": "Honest", "match_text": "Truth"},
            ],
            lambda form: form.match({"Calm": "Composure", "Honest": "Truth"}),
            "You are right!",
        ),
    ],
)
def test_each_type_can_be_answered_through_the_form(
    logged_in_client, course, qtype, choices, post, expected
):
    question = make_question(chapter=course.chapters.get(position=1), qtype=qtype, choices=choices)
    page = logged_in_client.get(chapter_url(course)).content.decode()
    assert "Check answer" in page
    data = {"question": question.pk, **post(exercise_form(page, question.pk))}
    html = logged_in_client.post(answer_url(course), data, follow=True).content.decode()
    assert expected in html


def test_a_wrong_answer_keeps_the_learners_choice_ticked_and_marked(
    logged_in_client, learner, course, question
):
    picked = form_choice(question, "Raising your voice", learner)
    html = logged_in_client.post(
        answer_url(course), {"question": question.pk, "choice": picked}, follow=True
    ).content.decode()
    ticked = re.findall(r'<input[^>]*name="choice"[^>]*>', html)
    checked = [field for field in ticked if " checked" in field]
    assert len(checked) == 1 and f'value="{picked}"' in checked[0]
    assert html.count("your answer") == 1
    # The next view of the page is plain again: nothing ticked, nothing marked.
    again = logged_in_client.get(chapter_url(course)).content.decode()
    assert " checked" not in again and "your answer" not in again


def test_a_right_answer_marks_nothing(logged_in_client, learner, course, question):
    html = logged_in_client.post(
        answer_url(course),
        {"question": question.pk, "choice": form_choice(question, "Active listening", learner)},
        follow=True,
    ).content.decode()
    assert "your answer" not in html and " checked" not in html


def test_the_chapter_page_says_how_long_is_left_of_the_course(client):
    course = make_course(chapters=3)
    for position, minutes in ((1, 4), (2, 5), (3, 6)):
        course.chapters.filter(position=position).update(reading_minutes=minutes)
    second = course.chapters.get(position=2)
    html = client.get(second.get_absolute_url()).content.decode()
    assert "11 minutes to the end of the course" in html
    assert 'max="3" value="2"' in html

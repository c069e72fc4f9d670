"""Spaced review (issue 27): cards from the exercise history, FSRS due dates under a clock the
test sets, the review page's markup and flow, "Retry my mistakes", erasure with the account."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from learning import review
from learning.models import ReviewCard
from quizzes.models import Attempt
from tests.conftest import make_course, make_question, make_user
from tests.exercise_form import form_choice

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def course():
    course = make_course(chapters=2)
    for chapter in course.chapters.all():
        make_question(chapter=chapter, stem=f"{chapter.title}: which technique listens?")
    return course


def _answer(client, learner, question, text):
    chapter = question.chapter
    return client.post(
        reverse("learning:answer", args=[chapter.course.slug, chapter.slug]),
        {"question": question.pk, "choice": form_choice(question, text, learner)},
    )


def _first_tries_on(moment, learner):
    Attempt.objects.filter(learner=learner).update(created_at=moment)


def test_cards_follow_the_first_try_and_fsrs_moves_them(client, course):
    learner = make_user()
    client.force_login(learner)
    missed, right = (c.questions.get() for c in course.chapters.order_by("position"))
    _answer(client, learner, missed, "Raising your voice")
    _answer(client, learner, missed, "Active listening")  # right later: still a mistake
    _answer(client, learner, right, "Active listening")
    _first_tries_on(MONDAY, learner)
    assert review.review_cards_sync(learner=learner) == 2
    assert review.review_cards_sync(learner=learner) == 0  # nothing made twice
    cards = {card.question_id: card for card in ReviewCard.objects.filter(learner=learner)}
    assert cards[missed.pk].due == MONDAY + timedelta(days=1)  # "Again": tomorrow
    assert cards[right.pk].due == MONDAY + timedelta(days=2)  # "Good": in two days
    assert review.reviews_due(learner=learner, now=MONDAY + timedelta(hours=12)) == 0
    assert review.reviews_due(learner=learner, now=MONDAY + timedelta(days=1)) == 1

    tuesday = MONDAY + timedelta(days=1)
    moved = review.review_answer(card=cards[missed.pk], right=True, now=tuesday).card
    assert moved.due == tuesday + timedelta(days=2) and moved.last_right and moved.reviews == 1
    thursday = tuesday + timedelta(days=2)
    again = review.review_answer(card=moved, right=False, now=thursday).card
    assert again.due == thursday + timedelta(days=1) and again.last_right is False


def test_the_review_page_asks_with_the_learners_names_and_tells_nothing(client, course):
    learner = make_user()
    client.force_login(learner)
    question = course.chapters.get(position=1).questions.get()
    _answer(client, learner, question, "Raising your voice")
    _first_tries_on(MONDAY, learner)
    assert (
        "1 question to review today" in client.get(reverse("learning:my_learning")).content.decode()
    )
    page = client.get(reverse("learning:review")).content.decode()
    assert "Now answer the exercise about the content:" in page and question.stem_markdown in page
    form = page.split("<form")[1].split("</form>")[0]
    for choice in question.choices.all():
        assert choice.key not in form
    assert "fraction" not in form and "correct" not in form and "csrfmiddlewaretoken" in form

    answered = client.post(
        reverse("learning:review_answer", args=[question.pk]),
        {"choice": form_choice(question, "Active listening", learner)},
    )
    assert answered.status_code == 302
    verdict = client.get(answered["Location"]).content.decode()
    assert "You are right!" in verdict and "You will see this question again on" in verdict
    assert f'href="{question.chapter.get_absolute_url()}"' in verdict  # its passage
    assert "Nothing to review today." in client.get(reverse("learning:review")).content.decode()


def test_retry_my_mistakes_asks_exactly_the_missed_questions_of_the_course(client, course):
    learner = make_user()
    client.force_login(learner)
    missed, right = (c.questions.get() for c in course.chapters.order_by("position"))
    _answer(client, learner, missed, "Raising your voice")
    _answer(client, learner, right, "Active listening")
    overview = client.get(reverse("learning:overview", args=[course.slug])).content.decode()
    assert "Retry my mistakes (1 question)" in overview
    url = f"{reverse('learning:review')}?course={course.slug}&mistakes=1"
    page = client.get(url).content.decode()
    assert missed.stem_markdown in page and right.stem_markdown not in page
    client.post(
        reverse("learning:review_answer", args=[missed.pk]),
        {"choice": form_choice(missed, "Active listening", learner), "course": course.slug,
         "mistakes": "1"},
    )  # fmt: skip
    assert "No mistakes left in this course" in client.get(url).content.decode()


def test_another_learners_card_cannot_be_answered(client, course):
    owner, other = make_user(), make_user()
    question = course.chapters.get(position=1).questions.get()
    client.force_login(owner)
    _answer(client, owner, question, "Raising your voice")
    review.review_cards_sync(learner=owner)
    client.force_login(other)
    response = client.post(
        reverse("learning:review_answer", args=[question.pk]),
        {"choice": form_choice(question, "Active listening", other)},
    )
    assert response.status_code == 404


def test_cards_go_with_the_account(client, course):
    learner = make_user()
    client.force_login(learner)
    _answer(client, learner, course.chapters.get(position=1).questions.get(), "Raising your voice")
    review.review_cards_sync(learner=learner)
    assert ReviewCard.objects.filter(learner=learner).exists()
    learner.delete()
    assert not ReviewCard.objects.exists()


def test_the_data_export_carries_the_review_cards(client, course):
    learner = make_user()
    client.force_login(learner)
    question = course.chapters.get(position=1).questions.get()
    _answer(client, learner, question, "Raising your voice")
    review.review_cards_sync(learner=learner)
    exported = client.get(reverse("data_export")).json()
    (card,) = exported["review_cards"]
    assert card["question_id"] == question.pk and card["first_try_right"] is False


def test_a_question_taken_back_to_draft_waits_out_of_review(client, course):
    learner = make_user()
    client.force_login(learner)
    question = course.chapters.get(position=1).questions.get()
    _answer(client, learner, question, "Raising your voice")
    _first_tries_on(MONDAY, learner)
    review.review_cards_sync(learner=learner)
    tomorrow = MONDAY + timedelta(days=1)
    assert review.reviews_due(learner=learner, now=tomorrow) == 1
    type(question).objects.filter(pk=question.pk).update(status="draft")
    assert review.reviews_due(learner=learner, now=tomorrow) == 0
    assert review.review_next(learner=learner, now=tomorrow) is None
    assert review.mistakes_count(learner=learner, course=course) == 0

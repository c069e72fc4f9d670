"""Personal pages cost few, flat queries (issue 14): exact counts, equal for small and large.

Sessions and their users come from the shared cache (docs/decisions/0009); a password change
or a deactivation still ends other sessions at once."""

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.models import Question
from tests.conftest import make_course, make_question, make_user
from tests.exercise_form import form_choice

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def _logged_in(learner) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": learner.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _course(chapters: int, questions: int):
    course = make_course(chapters=chapters, slug=f"c{chapters}-{questions}")
    chapter = course.chapters.get(position=2)
    made = [make_question(chapter=chapter, stem=f"Question {n}?") for n in range(questions)]
    return course, chapter, made


@pytest.mark.parametrize(("chapters", "questions"), [(10, 1), (2000, 50)])
def test_an_answer_costs_the_same_few_queries_whatever_the_size(
    django_assert_num_queries, chapters, questions
):
    course, chapter, made = _course(chapters, questions)
    learner = make_user()
    client = _logged_in(learner)
    question = made[0]
    url = reverse("learning:answer", args=[course.slug, chapter.slug])
    wrong = {
        "question": question.pk,
        "choice": form_choice(question, "Raising your voice", learner),
    }
    client.get(chapter.get_absolute_url())  # the page a learner answers from (warms caches)
    client.post(url, wrong)  # the first answer creates the enrollment and progress rows
    # A wrong answer to a chapter already read: the progress row, then the attempt, with no
    # transaction around them (learning.services.answer_submit).
    with django_assert_num_queries(2):
        assert client.post(url, wrong).status_code == 302
    # A right one on a chapter whose other questions are still to answer: also which of
    # them the learner has right. With one question it passes the chapter: the UPDATE, then
    # the enrollment and the completion check.
    right = {"question": question.pk, "choice": form_choice(question, "Active listening", learner)}
    expected = 8 if questions == 1 else 5
    with django_assert_num_queries(expected):
        assert client.post(url, right).status_code == 302


@pytest.mark.parametrize(("chapters", "questions"), [(10, 1), (2000, 50)])
def test_the_learners_chapter_page_costs_one_query(django_assert_num_queries, chapters, questions):
    course, chapter, _ = _course(chapters, questions)
    client = _logged_in(make_user())
    client.get(chapter.get_absolute_url())
    with django_assert_num_queries(1):  # which of the chapter's questions the learner passed
        response = client.get(chapter.get_absolute_url())
    assert response.status_code == 200


def test_a_password_change_ends_other_sessions_at_once():
    learner = make_user()
    phone, laptop = _logged_in(learner), _logged_in(learner)
    assert phone.get(reverse("learning:my_learning")).status_code == 200
    changed = laptop.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "a new long passphrase 9",
         "new_password2": "a new long passphrase 9"},
    )  # fmt: skip
    assert changed.status_code == 302
    assert phone.get(reverse("learning:my_learning")).status_code == 302  # logged out
    assert laptop.get(reverse("learning:my_learning")).status_code == 200


def test_a_deactivated_account_is_logged_out_at_once():
    learner = make_user()
    browser = _logged_in(learner)
    assert browser.get(reverse("learning:my_learning")).status_code == 200
    learner.is_active = False
    learner.save()
    assert browser.get(reverse("learning:my_learning")).status_code == 302


def test_the_verdict_cannot_be_forged_or_borrowed():
    course, chapter, made = _course(3, 1)
    question: Question = made[0]
    url = reverse("learning:answer", args=[course.slug, chapter.slug])
    ada, bob = make_user(), make_user()
    ada_client, bob_client = _logged_in(ada), _logged_in(bob)
    bob_client.post(
        url, {"question": question.pk, "choice": form_choice(question, "Active listening", bob)}
    )
    cookie = f"verdict-{chapter.pk}"
    assert "You are right!" in bob_client.get(chapter.get_absolute_url()).content.decode()
    bob_client.post(
        url, {"question": question.pk, "choice": form_choice(question, "Active listening", bob)}
    )
    borrowed = bob_client.cookies[cookie].value
    ada_client.cookies[cookie] = borrowed  # signed for Bob: worthless to Ada
    assert "You are right!" not in ada_client.get(chapter.get_absolute_url()).content.decode()
    ada_client.cookies[cookie] = borrowed[:-3] + "abc"  # altered
    assert "You are right!" not in ada_client.get(chapter.get_absolute_url()).content.decode()


@pytest.mark.parametrize(("chapters", "questions"), [(10, 1), (2000, 50)])
def test_the_first_chapter_costs_one_more_query_to_check_the_enrollment(
    django_assert_num_queries, chapters, questions
):
    course = make_course(chapters=chapters, slug=f"first-{chapters}")
    chapter = course.chapters.get(position=1)
    for n in range(questions):
        make_question(chapter=chapter, stem=f"Question {n}?")
    learner = make_user()
    client = _logged_in(learner)
    client.get(chapter.get_absolute_url())  # enrols
    assert learner.enrollments.filter(course=course).count() == 1
    with django_assert_num_queries(2):  # enrolled already? which questions passed?
        assert client.get(chapter.get_absolute_url()).status_code == 200

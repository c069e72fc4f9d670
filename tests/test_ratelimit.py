"""Rate limits on answering and logging in: a clear message, and the request is not done."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from quizzes.models import Attempt
from tests.conftest import make_course, make_question, make_user
from tests.exercise_form import form_choice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.RATE_LIMITS = {"answer": (3, 60), "login": (2, 300)}
    cache.clear()
    yield
    cache.clear()


def test_answers_over_the_limit_get_429_and_are_not_recorded(client):
    course = make_course(chapters=1)
    chapter = course.chapters.get()
    question = make_question(chapter=chapter)
    learner = make_user()
    client.force_login(learner)
    url = reverse("quizzes:answer", args=[course.slug, chapter.slug])
    wrong = {
        "question": question.pk,
        "choice": form_choice(question, "Raising your voice", learner),
    }
    for _ in range(3):
        assert client.post(url, wrong).status_code == 302
    response = client.post(url, wrong)
    assert response.status_code == 429
    assert "Too many answers in a short time" in response.content.decode()
    assert Attempt.objects.filter(learner=learner).count() == 3

    other = make_user()  # limits are per learner
    client.force_login(other)
    assert client.post(url, wrong).status_code == 302


def test_login_attempts_over_the_limit_get_429_without_checking_the_password(client):
    user = make_user(username="grace")
    url = reverse("login")
    for _ in range(2):
        response = client.post(url, {"username": "grace", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(url, {"username": "grace", "password": "correct horse battery staple"})
    assert response.status_code == 429
    assert "Too many login attempts. Try again in a few minutes." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert user.pk  # the account itself is untouched


def test_login_limit_counts_per_username_across_addresses(client):
    make_user(username="ada")
    url = reverse("login")
    for address in ("10.0.0.1", "10.0.0.2"):
        client.post(url, {"username": "ada", "password": "x"}, REMOTE_ADDR=address)
    response = client.post(url, {"username": "Ada", "password": "x"}, REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 429


def test_login_within_the_limit_works(client):
    make_user(username="linus")
    response = client.post(
        reverse("login"), {"username": "linus", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302


def _login_as_several_users(client, forwarded_for: list[str]) -> list[int]:
    # A new username each time, so only the per-address count can refuse.
    return [
        client.post(
            reverse("login"),
            {"username": f"nobody{n}", "password": "x"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=header,
        ).status_code
        for n, header in enumerate(forwarded_for)
    ]


def test_forwarded_for_is_ignored_unless_a_proxy_is_trusted(client, settings):
    settings.RATE_LIMIT_TRUST_X_FORWARDED_FOR = False
    statuses = _login_as_several_users(client, ["1.1.1.1", "2.2.2.2", "3.3.3.3"])
    assert statuses == [200, 200, 429]


def test_behind_a_trusted_proxy_clients_are_counted_by_the_address_it_appended(client, settings):
    settings.RATE_LIMIT_TRUST_X_FORWARDED_FOR = True
    assert _login_as_several_users(client, ["1.1.1.1", "2.2.2.2", "3.3.3.3"]) == [200] * 3
    # A client cannot escape by forging the entries in front of the proxy's own.
    forged = [f"203.0.113.{n}, 4.4.4.4" for n in range(3)]
    assert _login_as_several_users(client, forged) == [200, 200, 429]

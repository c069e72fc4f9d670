"""Rate limits: a clear message, and the request is not done (issue 9, items 4-6).

Logins: django-axes locks a (username, address) pair; accounts.throttle limits an address
across usernames. Both sit in authenticate(), so the site and the admin share them.
"""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from quizzes.models import Attempt
from tests.conftest import inside_one_window, make_course, make_question, make_user
from tests.exercise_form import form_choice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "answer": (3, 60),
        "login-address": (4, 900),
        "signup-address": (3, 3600),
        "signup-email": (2, 3600),
        "password-reset-address": (4, 3600),
        "password-reset-email": (2, 3600),
        "verify": (5, 60),
    }
    settings.AXES_FAILURE_LIMIT = 2
    cache.clear()
    inside_one_window(60)
    yield
    cache.clear()


def test_answers_over_the_limit_get_429_and_are_not_recorded(client):
    course = make_course(chapters=1)
    chapter = course.chapters.get()
    question = make_question(chapter=chapter)
    learner = make_user()
    client.force_login(learner)
    url = reverse("learning:answer", args=[course.slug, chapter.slug])
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


PASSWORD = "correct horse battery staple"


def _login(client, url, username, password, address="10.0.0.1", **extra):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_wrong_passwords_lock_the_pair_out_even_with_the_right_password_after(client, url):
    make_user(username="grace", is_staff=True)
    for _ in range(25):
        _login(client, url, "grace", "wrong")
    response = _login(client, url, "grace", PASSWORD)
    assert response.status_code == 429
    assert "Too many login attempts. Try again in a few minutes." in response.content.decode()
    assert not _logged_in(client)


def test_site_and_admin_share_one_limit(client):
    make_user(username="grace", is_staff=True)
    _login(client, "/accounts/login/", "grace", "wrong")
    _login(client, "/admin/login/", "grace", "wrong")
    assert _login(client, "/accounts/login/", "grace", PASSWORD).status_code == 429


def test_a_stranger_elsewhere_cannot_lock_a_learner_out(client):
    make_user(username="ada")
    for _ in range(3):
        _login(client, "/accounts/login/", "ada", "guess", address="203.0.113.9")
    assert _login(client, "/accounts/login/", "ada", "x", address="203.0.113.9").status_code == 429
    # Ada, from her own address, logs in.
    response = _login(client, "/accounts/login/", "Ada".lower(), PASSWORD, address="10.1.1.1")
    assert response.status_code == 302 and _logged_in(client)


def test_case_and_spaces_do_not_make_a_new_pair(client):
    make_user(username="ada")
    _login(client, "/accounts/login/", "ada", "x")
    _login(client, "/accounts/login/", " ADA ", "x")
    assert _login(client, "/accounts/login/", "ada", PASSWORD).status_code == 429


def test_one_address_trying_many_usernames_is_refused(client):
    make_user(username="linus")
    statuses = [_login(client, "/accounts/login/", f"nobody{n}", "x").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    # Refused before the password is checked, on the admin too.
    assert _login(client, "/admin/login/", "linus", PASSWORD).status_code == 429
    assert not _logged_in(client)
    # Another address is not affected.
    assert (
        _login(client, "/accounts/login/", "linus", PASSWORD, address="10.2.2.2").status_code == 302
    )


def test_login_within_the_limit_works(client):
    make_user(username="linus")
    _login(client, "/accounts/login/", "linus", "typo")
    assert _login(client, "/accounts/login/", "linus", PASSWORD).status_code == 302


def _many_usernames(client, forwarded_for: list[str]) -> list[int]:
    # A new username each time, so only the per-address count can refuse.
    return [
        _login(
            client, "/accounts/login/", f"nobody{n}", "x", "10.9.9.9", HTTP_X_FORWARDED_FOR=header
        ).status_code
        for n, header in enumerate(forwarded_for)
    ]


def test_forwarded_for_is_ignored_unless_a_proxy_is_trusted(client, settings):
    settings.RATE_LIMIT_TRUST_X_FORWARDED_FOR = False
    statuses = _many_usernames(client, [f"1.1.1.{n}" for n in range(5)])
    assert statuses == [200, 200, 200, 200, 429]


def test_behind_a_trusted_proxy_clients_are_counted_by_the_address_it_appended(client, settings):
    settings.RATE_LIMIT_TRUST_X_FORWARDED_FOR = True
    assert _many_usernames(client, [f"1.1.1.{n}" for n in range(5)]) == [200] * 5
    # A client cannot escape by forging the entries in front of the proxy's own.
    forged = [f"203.0.113.{n}, 4.4.4.4" for n in range(5)]
    assert _many_usernames(client, forged) == [200, 200, 200, 200, 429]


# --- sign-up and password reset ----------------------------------------------------


def _signup(client, n: int, email: str = "", address: str = "10.0.0.1"):
    return client.post(
        reverse("signup"),
        {"username": f"new{n}", "email": email, "password1": PASSWORD, "password2": PASSWORD},
        REMOTE_ADDR=address,
    )


def test_signups_are_limited_per_address(client):
    statuses = []
    for n in range(4):
        client.logout()
        statuses.append(_signup(client, n).status_code)
    assert statuses == [302, 302, 302, 429]
    assert "Too many accounts were created from here." in _signup(client, 9).content.decode()


def test_signups_are_limited_per_email(client):
    statuses = []
    for n in range(3):
        client.logout()
        statuses.append(_signup(client, n, "same@example.com", f"10.0.0.{n}").status_code)
    assert statuses[-1] == 429


def test_password_reset_is_limited_per_target_email(client):
    make_user(username="ada", email="ada@example.com")
    statuses = [
        client.post(
            reverse("password_reset"), {"email": "ada@example.com"}, REMOTE_ADDR=f"10.0.3.{n}"
        ).status_code
        for n in range(15)
    ]
    assert statuses[:2] == [302, 302] and set(statuses[2:]) == {429}
    assert len(mail.outbox) == 2


def test_password_reset_is_limited_per_address(client):
    statuses = [
        client.post(reverse("password_reset"), {"email": f"x{n}@example.com"}).status_code
        for n in range(5)
    ]
    assert statuses == [302, 302, 302, 302, 429]


# --- certificate lookups -----------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "credential.json", "credential.jwt", "status.json"])
def test_certificate_lookups_are_limited_per_address(client, suffix):
    statuses = [
        client.get(f"/verify/ABCD-EFGH-JKMN-{n:04d}/{suffix}").status_code for n in range(6)
    ]
    assert statuses[:5] != [429] * 5 and 429 not in statuses[:5]
    assert statuses[5] == 429
    # Somebody else scanning a QR code is not affected.
    assert (
        client.get(f"/verify/ABCD-EFGH-JKMN-0000/{suffix}", REMOTE_ADDR="10.7.7.7").status_code
        != 429
    )

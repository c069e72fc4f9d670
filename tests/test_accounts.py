"""Sign up, log in, log out and password reset with Django's own auth."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.conftest import make_course, make_user

pytestmark = pytest.mark.django_db
PASSWORD = "a-long unusual passphrase 42"


def test_signup_creates_account_with_full_name_and_logs_in(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "zoe",
            "full_name": "Zoë Łukasiewicz",
            "email": "",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="zoe")
    assert user.full_name == "Zoë Łukasiewicz" and user.email == ""
    assert "Zoë Łukasiewicz" in client.get("/").content.decode()


def test_signup_rejects_mismatched_passwords(client):
    response = client.post(
        reverse("signup"), {"username": "zoe", "password1": PASSWORD, "password2": PASSWORD + "x"}
    )
    assert response.status_code == 200
    assert "didn’t match" in response.content.decode()
    assert not User.objects.exists()


def test_signup_page_labels_every_field(client):
    html = client.get(reverse("signup")).content.decode()
    for field in ["id_username", "id_full_name", "id_email", "id_password1", "id_password2"]:
        assert f'for="{field}"' in html


def test_login_and_logout(client):
    make_user(username="ada")
    response = client.post(
        reverse("login"), {"username": "ada", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert "Log out" in client.get("/").content.decode()
    client.post(reverse("logout"))
    assert "Log in" in client.get("/").content.decode()


def test_password_reset_sends_a_working_link(client):
    make_user(username="ada", email="ada@example.com")
    client.post(reverse("password_reset"), {"email": "ada@example.com"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302
    login = client.post(reverse("login"), {"username": "ada", "password": PASSWORD})
    assert login.status_code == 302 and "_auth_user_id" in client.session


def test_profile_asks_for_a_name(logged_in_client, learner):
    response = logged_in_client.post(reverse("profile"), {"full_name": "  Grace   Hopper "})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.full_name == "Grace Hopper"
    blank = logged_in_client.post(reverse("profile"), {"full_name": "   "})
    assert blank.status_code == 200 and "This field is required" in blank.content.decode()


def test_profile_redirects_only_to_local_next(logged_in_client):
    response = logged_in_client.post(
        reverse("profile") + "?next=https://evil.example/", {"full_name": "Grace"}
    )
    assert response["Location"] == reverse("profile")


def test_password_reset_answers_before_any_lookup_or_email(client, settings):
    # Issue 26: the email was sent inside the request, so its response time told registered
    # addresses from others. The request now only queues the work.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import default_task_backend

    make_user(username="ada", email="ada@example.com")
    for email in ("ada@example.com", "nobody@example.com"):
        response = client.post(reverse("password_reset"), {"email": email})
        assert response.status_code == 302
    assert mail.outbox == []
    queued = [result.kwargs["email"] for result in default_task_backend.results]
    assert queued == ["ada@example.com", "nobody@example.com"]


def test_sign_up_from_a_course_page_comes_back_to_it(client):
    # Issue 25: the header's "Sign up" dropped ?next, so a learner landed on the catalogue.
    course = make_course(chapters=1)
    page = client.get(course.get_absolute_url()).content.decode()
    signup_link = re.search(r'href="(/accounts/signup/\?next=[^"]+)"', page).group(1)
    form = client.get(signup_link.replace("&amp;", "&")).content.decode()
    assert f'name="next" value="{course.get_absolute_url()}"' in form
    response = client.post(
        reverse("signup"),
        {
            "username": "zoe",
            "full_name": "Zoë",
            "email": "zoe@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": course.get_absolute_url(),
        },
    )
    assert response.status_code == 302 and response["Location"] == course.get_absolute_url()


def test_the_email_changes_only_with_the_accounts_password(client):
    user = make_user(username="grace", email="old@example.org")
    user.set_password("a long and unusual passphrase 42")
    user.save()
    client.force_login(user)
    profile = client.get(reverse("profile")).content.decode()
    assert reverse("email_change") in profile and reverse("password_change") in profile
    refused = client.post(
        reverse("email_change"), {"email": "thief@example.org", "password": "guess"}
    )
    assert refused.status_code == 200 and "That is not your password." in refused.content.decode()
    user.refresh_from_db()
    assert user.email == "old@example.org"
    done = client.post(
        reverse("email_change"),
        {"email": "new@EXAMPLE.org", "password": "a long and unusual passphrase 42"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("profile")
    user.refresh_from_db()
    assert user.email == "new@example.org"


def test_changing_the_email_needs_a_signed_in_learner_and_csrf(client):
    response = client.get(reverse("email_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user(username="ada"))
    assert strict.post(reverse("email_change"), {"email": "x@example.org"}).status_code == 403

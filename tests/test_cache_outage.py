"""Redis away, the site still answers (issue 26, decision 0014): sessions and users come from
the database, pages render uncached, rate limits let requests through and say so once a
minute. A real redis-server of each test's own, stopped or paused mid-test."""

import logging

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

import core.cache
from certificates.services import certificate_issue
from core.ratelimit import hit
from tests.conftest import make_course, make_question, make_user
from tests.exercise_form import form_choice
from tests.servers import RedisServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis(settings, tmp_path):
    (tmp_path / "redis").mkdir()
    server = RedisServer(tmp_path / "redis")
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.SoftRedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "outage-test",
        }
    }
    yield server
    server.stop()
    core.cache._OUTAGES.clear()  # the next test's server starts with no outage behind it


@pytest.fixture
def course():
    course = make_course(chapters=2)
    for chapter in course.chapters.all():
        make_question(chapter=chapter)
    return course


def test_a_signed_in_learner_reads_and_answers_while_redis_is_down(redis, client, course):
    learner = make_user()
    client.force_login(learner)  # the session and the user were cached while Redis was up
    chapter = course.chapters.order_by("position").first()
    assert client.get(chapter.get_absolute_url()).status_code == 200
    question = chapter.questions.get()

    redis.stop()
    page = client.get(chapter.get_absolute_url())
    assert page.status_code == 200
    assert learner.display_name in page.content.decode()  # still signed in: read from the DB
    response = client.post(
        reverse("learning:answer", args=[course.slug, chapter.slug]),
        {"question": question.pk, "choice": form_choice(question, "Active listening", learner)},
    )
    assert response.status_code in (200, 302)
    follow = client.get(chapter.get_absolute_url())
    assert "You are right!" in follow.content.decode()
    for url in (reverse("learning:my_learning"), reverse("learning:catalogue"), reverse("profile")):
        assert client.get(url).status_code == 200, url


def test_logging_in_and_the_public_verify_page_work_while_redis_is_down(redis, client, course):
    learner = make_user(username="grace")
    learner.set_password("a long and unusual passphrase 42")
    learner.save()
    certificate = certificate_issue(learner=learner, course=course, completed_at=timezone.now())
    redis.stop()
    verify = client.get(reverse("certificates:verify", args=[certificate.display_code]))
    assert verify.status_code == 200
    response = client.post(
        reverse("login"),
        {"username": "grace", "password": "a long and unusual passphrase 42"},
    )
    assert response.status_code == 302
    assert client.get(reverse("learning:my_learning")).status_code == 200


def test_rate_limits_let_requests_through_and_say_so_once_a_minute(redis, settings, caplog):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "outage-test": (2, 60)}
    redis.stop()
    with caplog.at_level(logging.WARNING):
        assert all(hit(scope="outage-test", key="ip:10.1.2.3") for _ in range(5))
    ratelimit_lines = [r for r in caplog.records if r.name == "core.ratelimit"]
    cache_lines = [r for r in caplog.records if r.name == "core.cache"]
    assert len(ratelimit_lines) == 1
    assert "rate limits are off" in ratelimit_lines[0].getMessage()
    assert "outage-test" in ratelimit_lines[0].getMessage()
    assert len(cache_lines) == 1 and "cache unavailable" in cache_lines[0].getMessage()


def test_a_redis_that_does_not_answer_costs_one_timeout_then_is_left_alone(redis, client, course):
    cache = caches["default"]
    cache.set("greeting", "hello")
    redis.pause()
    try:
        assert cache.available()
        assert cache.get("greeting", "missed") == "missed"  # one read timeout
        assert not cache.available()  # the next calls do not wait on Redis at all
        chapter = course.chapters.order_by("position").first()
        assert client.get(chapter.get_absolute_url()).status_code == 200
        assert cache.add("new", 1) is False
        with pytest.raises(ValueError):
            cache.incr("greeting")
    finally:
        redis.resume()


def test_the_cache_is_used_again_once_redis_is_back(redis, monkeypatch):
    cache = caches["default"]
    redis.stop()
    cache.set("greeting", "hello")
    assert not cache.available()
    monkeypatch.setattr(core.cache, "RETRY_SECONDS", 0.0)
    redis.start()
    cache.get("probe")  # the first call after the pause tries Redis again
    cache.set("greeting", "hello")
    assert cache.get("greeting") == "hello" and cache.available()


def test_readyz_answers_json_and_names_the_cache_when_redis_is_down(redis, client):
    redis.stop()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["cache"].startswith("error")

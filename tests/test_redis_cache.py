"""Several nodes share one Redis (issue 13): the page cache, the content version and the rate
limits live there. A real redis-server, started for these tests and stopped after them."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from core.pagecache import VERSION_KEY, content_version
from core.ratelimit import hit
from tests.conftest import inside_one_window, make_course, make_question, make_user, run_manage
from tests.exercise_form import form_choice
from tests.servers import RedisServer


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def redis_cache(settings, redis_url):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.SoftRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "chapterwise-test",
        }
    }
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def test_rate_limits_hold_across_processes(redis_cache, redis_url, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "answer": (30, 60)}
    inside_one_window(60, room=30)  # the other node takes a few seconds to start
    # Another node counts 20 answers of this learner...
    script = (
        "from core.ratelimit import hit\n"
        "print(sum(hit(scope='answer', key='user:7') for _ in range(20)))"
    )
    result = run_manage(
        "shell",
        "-c",
        script,
        env={
            "REDIS_URL": redis_url,
            "REDIS_KEY_PREFIX": "chapterwise-test",
            "RATE_LIMIT_ANSWERS": "30",
        },
    )
    assert result.stdout.strip().splitlines()[-1] == "20", result.stderr
    # ...so this node accepts 10 more, and refuses the 31st.
    here = [hit(scope="answer", key="user:7") for _ in range(11)]
    assert here == [True] * 10 + [False]


@pytest.mark.django_db
def test_a_change_on_one_node_reaches_the_others_pages_at_once(redis_cache, client):
    course = make_course(chapters=1)
    chapter = course.chapters.get()
    assert "word word" in client.get(chapter.get_absolute_url()).content.decode()
    before = content_version()
    chapter.course.chapters.update(body_html="<p>Edited on node A.</p>")
    assert content_version() != before
    assert "Edited on node A." in client.get(chapter.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_restarted_cache_never_serves_an_old_page(redis_cache, client):
    course = make_course(chapters=1)
    chapter = course.chapters.get()
    client.get(chapter.get_absolute_url())
    redis_cache.delete(VERSION_KEY)  # an eviction, or a Redis restart without persistence
    Chapter = type(chapter)
    Chapter.objects.filter(pk=chapter.pk).update(body_html="<p>New text.</p>")
    redis_cache.delete(VERSION_KEY)
    assert "New text." in client.get(chapter.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_answers_are_limited_across_nodes_sharing_redis(redis_cache, client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "answer": (3, 60)}
    course = make_course(chapters=1)
    chapter = course.chapters.get()
    question = make_question(chapter=chapter)
    learner = make_user()
    client.force_login(learner)
    inside_one_window(60)
    for _ in range(3):
        hit(scope="answer", key=f"user:{learner.pk}")  # three answers on another node
    response = client.post(
        reverse("learning:answer", args=[course.slug, chapter.slug]),
        {"question": question.pk, "choice": form_choice(question, "Active listening", learner)},
    )
    assert response.status_code == 429

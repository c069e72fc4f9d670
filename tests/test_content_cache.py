"""One cache-invalidation mechanism that bulk writes cannot bypass (issue 10)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection

from core.build import build_id, files_digest
from core.pagecache import (
    VERSION_KEY,
    _request_begins,
    _request_ends,
    content_version,
    track_content,
)
from courses.models import Chapter
from learning.models import Enrollment
from quizzes.models import Choice, Question
from tests.conftest import make_course, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def chapter():
    return make_course(chapters=2).chapters.get(position=1)


def _page(client, chapter) -> str:
    return client.get(chapter.get_absolute_url()).content.decode()


def test_a_bulk_update_shows_at_once(client, chapter):
    assert "word word" in _page(client, chapter)  # now cached for visitors
    Chapter.objects.filter(pk=chapter.pk).update(body_html="<p>Bulk edited.</p>")
    assert "Bulk edited." in _page(client, chapter)


def test_an_update_through_a_related_manager_shows_at_once(client, chapter):
    _page(client, chapter)
    chapter.course.chapters.filter(position=1).update(title="Renamed in bulk")
    assert "Renamed in bulk" in _page(client, chapter)


def test_questions_published_or_withdrawn_in_bulk_show_at_once(client, chapter):
    question = make_question(chapter=chapter, stem="Bulk stem?")
    assert "Bulk stem?" in _page(client, chapter)
    Question.objects.filter(pk=question.pk).update(status=Question.Status.DRAFT)
    assert "Bulk stem?" not in _page(client, chapter)
    Question.objects.filter(pk=question.pk).update(status=Question.Status.PUBLISHED)
    Choice.objects.filter(question=question, text="Active listening").update(
        text_html="Listening, bulk"
    )
    assert "Listening, bulk" in _page(client, chapter)


def test_bulk_create_and_queryset_delete_show_at_once(client, chapter):
    _page(client, chapter)
    [question] = Question.objects.bulk_create(
        [Question(course=chapter.course, chapter=chapter, qtype="single", stem_html="<p>New!</p>")]
    )
    Choice.objects.bulk_create([Choice(question=question, text="A", text_html="A", fraction=1)])
    assert "New!" in _page(client, chapter)
    Question.objects.filter(pk=question.pk).delete()
    assert "New!" not in _page(client, chapter)


def test_a_lost_version_means_render_again_never_the_old_page(client, chapter):
    _page(client, chapter)
    cache.delete(VERSION_KEY)  # evicted, or a restarted cache server
    with connection.cursor() as cursor:  # a change no ORM hook sees
        cursor.execute(
            "UPDATE courses_chapter SET body_html = %s WHERE id = %s", ["<p>Raw.</p>", chapter.pk]
        )
    assert "Raw." in _page(client, chapter)


def test_only_models_with_the_content_manager_can_be_tracked():
    with pytest.raises(TypeError, match="learning.Enrollment must use"):
        track_content(Enrollment)


def test_the_suite_never_shares_the_cache_folder_make_run_serves_from():
    # Sessions and cached users of a `make run` server on the same checkout would otherwise
    # log the suite's browser learners out (seen once while both ran).
    assert settings.CACHES["default"]["BACKEND"] == "core.filecache.FileCache"
    location = Path(caches["default"]._dir).resolve()
    assert not location.is_relative_to(Path(settings.BASE_DIR).resolve())


def test_a_request_reads_the_content_version_once_and_sees_its_own_writes():
    # What request_started and request_finished call (sending them here would also close
    # the test's database connection).
    _request_begins()
    try:
        first = content_version()
        cache.incr(VERSION_KEY)  # another node's edit, mid-request: this page keeps its version
        assert content_version() == first
        make_course(chapters=1)  # this request's own edit: seen by its later reads
        assert content_version() > first + 1
    finally:
        _request_ends()


def test_outside_a_request_every_read_sees_the_newest_version():
    first = content_version()
    cache.incr(VERSION_KEY)
    assert content_version() == first + 1


def test_a_deploy_never_serves_a_page_the_old_build_rendered(client, chapter, monkeypatch):
    monkeypatch.setenv("BUILD_ID", "build-one")
    build_id.cache_clear()
    _page(client, chapter)  # cached by build one
    with connection.cursor() as cursor:  # what the new build renders differently
        cursor.execute(
            "UPDATE courses_chapter SET body_html = %s WHERE id = %s",
            ["<p>New look.</p>", chapter.pk],
        )
    assert "New look." not in _page(client, chapter)  # same build, same cached page
    monkeypatch.setenv("BUILD_ID", "build-two")  # the deploy; the shared cache lives on
    build_id.cache_clear()
    try:
        assert "New look." in _page(client, chapter)
    finally:
        build_id.cache_clear()


def test_the_build_digest_follows_templates_and_code_not_installed_packages(tmp_path):
    (tmp_path / "app" / "templates").mkdir(parents=True)
    (tmp_path / ".venv").mkdir()
    (tmp_path / "node_modules").mkdir()
    template = tmp_path / "app" / "templates" / "page.html"
    template.write_text("<p>{{ one }}</p>")
    (tmp_path / "app" / "views.py").write_text("VIEW = 1\n")
    first = files_digest(tmp_path)
    (tmp_path / ".venv" / "lib.py").write_text("x = 1\n")
    (tmp_path / "node_modules" / "package.js").write_text("var x;\n")
    assert files_digest(tmp_path) == first
    template.write_text("<p>{{ two }}</p>")
    assert files_digest(tmp_path) != first

"""Public pages through Django's client: status, headings, teaser text, sanitised HTML."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.markdown import reading_minutes, render_markdown, word_count
from courses.models import Chapter, Course
from tests.conftest import make_course, make_question, make_user

pytestmark = pytest.mark.django_db
HOSTILE = (Path(__file__).parent / "data" / "hostile_markdown.txt").read_text()


def test_reading_time_is_200_words_a_minute_and_never_zero():
    assert reading_minutes(0) == 1
    assert reading_minutes(99) == 1
    assert reading_minutes(200) == 1
    assert reading_minutes(1000) == 5
    assert reading_minutes(1099) == 5
    assert reading_minutes(1100) == 6


def test_word_count_ignores_markdown_punctuation():
    assert word_count("## Active Listening\n\nIt *involves* fully concentrating.") == 6


def test_chapter_save_derives_html_words_and_minutes():
    course = Course.objects.create(title="C", slug="c")
    chapter = Chapter.objects.create(
        course=course,
        position=1,
        title="T",
        slug="t",
        body_markdown="## Heading\n\n" + "word " * 999,
    )
    assert '<h2 id="s-heading">Heading</h2>' in chapter.body_html
    assert chapter.word_count == 1000 and chapter.reading_minutes == 5


@pytest.mark.parametrize(
    "needle",
    ["<script", "onerror", "javascript:", "<iframe", "onclick", "onload", "<form", "style="],
)
def test_markdown_is_sanitised_when_saved(needle):
    assert needle not in render_markdown(HOSTILE).lower()


def test_chapter_page_serves_sanitised_html(client):
    course = make_course(chapters=1)
    chapter = course.chapters.get()
    chapter.body_markdown = HOSTILE
    chapter.save()
    html = client.get(chapter.get_absolute_url()).content.decode()
    body = html.split('class="chapter-body">')[1].split("</article>")[0]
    for needle in ["<script", "onerror", "javascript:", "<iframe", "onclick", "onload"]:
        assert needle not in body.lower()
    assert "styled" in body  # the text survives, the attack does not


def test_catalogue_lists_published_courses_with_chapter_count_and_time(client):
    make_course(chapters=3, title="Handling Customer Conflict", words=1000)
    make_course(chapters=2, title="Hidden draft", published=False)
    html = client.get("/").content.decode()
    assert "<h1" in html and "Handling Customer Conflict" in html
    assert "3 chapters · 15 minutes" in html
    assert "Hidden draft" not in html


def test_catalogue_shows_hours_for_long_courses(client):
    make_course(chapters=13, words=1000)
    assert "1 hour 5 minutes" in client.get("/").content.decode()


def test_overview_numbers_chapters_with_reading_times(client):
    course = make_course(chapters=2, words=400)
    html = client.get(reverse("learning:overview", args=[course.slug])).content.decode()
    assert "<ol" in html and "Chapter 1" in html and "Chapter 2" in html
    assert html.count("2 minutes") == 2


def test_unpublished_course_and_unknown_chapter_are_404(client):
    hidden = make_course(chapters=1, published=False)
    assert client.get(reverse("learning:overview", args=[hidden.slug])).status_code == 404
    assert client.get(hidden.chapters.get().get_absolute_url()).status_code == 404
    shown = make_course(chapters=1)
    assert client.get(reverse("learning:chapter", args=[shown.slug, "nope"])).status_code == 404


def test_chapter_page_shows_title_minutes_teaser_and_previous_link(client):
    course = make_course(chapters=3, words=1000)
    response = client.get(reverse("learning:chapter", args=[course.slug, "chapter-2"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "2 Chapter 2</h1>" in html
    assert "5 minutes" in html
    assert "Next page: 3 Chapter 3, 5 minutes" in html
    assert "Previous page: 1 Chapter 1" in html


def test_short_chapter_says_minute_not_minutes(client):
    course = make_course(chapters=2, words=10)
    html = client.get(reverse("learning:chapter", args=[course.slug, "chapter-1"])).content.decode()
    assert "Next page: 2 Chapter 2, 1 minute<" in html


def test_last_chapter_has_no_next_page(client):
    course = make_course(chapters=2)
    html = client.get(reverse("learning:chapter", args=[course.slug, "chapter-2"])).content.decode()
    assert "Next page:" not in html and "last page of the course" in html


def test_pages_send_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def _chapter_queries(client, django_assert_num_queries, size: int, expected: int):
    course = make_course(chapters=size, slug=f"size-{size}")
    for chapter in course.chapters.all()[:3]:
        make_question(chapter=chapter)
    url = reverse("learning:chapter", args=[course.slug, "chapter-2"])
    client.get(url)  # warm the session and the enrollment
    cache.clear()  # measure a real render, not the visitors' page cache
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [10, 400])
def test_chapter_page_query_count_does_not_grow_with_course(
    client, django_assert_num_queries, size
):
    _chapter_queries(client, django_assert_num_queries, size, expected=5)


def test_visitors_get_the_cached_page_until_the_content_changes(client, django_assert_num_queries):
    course = make_course(chapters=2, slug="cached")
    chapter = course.chapters.get(position=1)
    make_question(chapter=chapter)
    url = chapter.get_absolute_url()
    first = client.get(url)
    assert "csrftoken" not in first.cookies  # nothing personal in a visitor's page
    with django_assert_num_queries(0):
        assert client.get(url).content == first.content

    chapter.body_markdown = "A brand new opening paragraph."
    chapter.save()
    assert "A brand new opening paragraph." in client.get(url).content.decode()


def test_learners_never_get_the_visitors_cached_page(logged_in_client, client):
    course = make_course(chapters=2, slug="personal")
    chapter = course.chapters.get(position=1)
    make_question(chapter=chapter)
    client.get(chapter.get_absolute_url())  # a visitor fills the cache
    page = logged_in_client.get(chapter.get_absolute_url()).content.decode()
    assert "csrfmiddlewaretoken" in page and "Check answer" in page


@pytest.mark.parametrize("size", [10, 400])
def test_chapter_page_query_count_for_a_learner_is_flat(
    logged_in_client, django_assert_num_queries, size
):
    _chapter_queries(logged_in_client, django_assert_num_queries, size, expected=8)


@pytest.mark.parametrize("size", [10, 2000])
def test_overview_query_count_does_not_grow_with_course(
    logged_in_client, django_assert_num_queries, size
):
    course = make_course(chapters=size, slug=f"size-{size}")
    for chapter in course.chapters.all()[:3]:
        make_question(chapter=chapter)
    url = reverse("learning:overview", args=[course.slug])
    logged_in_client.post(reverse("learning:start", args=[course.slug]))
    logged_in_client.get(url)  # the rows, rendered once per content version, are cached
    # The session and its user come from the shared cache (0009): no query for either; the
    # course, the enrollment and the learner's progress rows remain, and three for review
    # (first tries, the learner's cards, their mistakes in this course: issue 27).
    with django_assert_num_queries(6):
        assert logged_in_client.get(url).status_code == 200


def test_learners_see_edits_to_chapters_and_questions_at_once(logged_in_client):
    course = make_course(chapters=2, slug="edited")
    chapter = course.chapters.get(position=1)
    url = chapter.get_absolute_url()
    logged_in_client.get(url)  # fills the shared chapter and question caches

    chapter.title = "A Better Title"
    chapter.save()
    make_question(chapter=chapter, stem="Which habit keeps a call calm?")
    page = logged_in_client.get(url).content.decode()
    assert "A Better Title" in page
    assert "Which habit keeps a call calm?" in page


@pytest.mark.parametrize(
    "name",
    ["learning:my_learning", "profile", "data_export", "certificates:list"],
)
def test_personal_pages_are_never_stored_by_caches(client, name):
    # Issue 26: personal pages sent no Cache-Control, so a shared cache could keep them.
    client.force_login(make_user())
    response = client.get(reverse(name))
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


def test_public_pages_keep_their_own_caching(client):
    response = client.get(reverse("learning:catalogue"))
    assert "private" not in response.get("Cache-Control", "")


def test_the_catalogue_can_be_searched_by_title_and_summary(client):
    make_course(chapters=1, title="Handling Customer Conflict")
    notes = make_course(chapters=1, title="Writing Release Notes")
    type(notes).objects.filter(pk=notes.pk).update(summary="What changed, and why.")
    found = client.get("/", {"q": "  customer   CONFLICT "}).content.decode()
    assert "Handling Customer Conflict" in found and "Writing Release Notes" not in found
    assert 'value="customer CONFLICT"' in found
    by_summary = client.get("/", {"q": "changed"}).content.decode()
    assert "Writing Release Notes" in by_summary and "Handling Customer" not in by_summary
    none = client.get("/", {"q": "<b>quantum</b>"}).content.decode()
    assert "No course matches “&lt;b&gt;quantum&lt;/b&gt;”." in none

"""The admin pages an admin uses for courses and chapters."""

import tempfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from courses.models import Course
from tests.conftest import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("admin", "admin@example.com", "pw"))
    return client


def test_course_change_page_lists_chapters_in_order_with_view_on_site(admin_client):
    course = make_course(chapters=3)
    html = admin_client.get(
        reverse("admin:courses_course_change", args=[course.pk])
    ).content.decode()
    assert html.index("Chapter 1") < html.index("Chapter 2") < html.index("Chapter 3")
    assert "View on site" in html


def test_course_search_finds_by_title(admin_client):
    make_course(title="Handling Customer Conflict")
    make_course(title="Something else")
    html = admin_client.get(
        reverse("admin:courses_course_changelist"), {"q": "conflict"}
    ).content.decode()
    assert "Handling Customer Conflict" in html and "Something else" not in html


def test_chapter_edit_rerenders_html(admin_client):
    course = make_course(chapters=1)
    chapter = course.chapters.get()
    response = admin_client.post(
        reverse("admin:courses_chapter_change", args=[chapter.pk]),
        {
            "course": course.pk,
            "position": 1,
            "title": "Renamed",
            "slug": "renamed",
            "body_markdown": "## New heading\n\nFresh text.",
        },
    )
    assert response.status_code == 302
    chapter.refresh_from_db()
    assert '<h2 id="s-new-heading">New heading</h2>' in chapter.body_html
    assert chapter.word_count == 4


def test_enrollment_page_shows_the_learners_chapter_progress(admin_client, learner):
    from django.utils import timezone

    from learning.models import ChapterProgress, Enrollment

    course = make_course(chapters=2)
    enrollment = Enrollment.objects.create(learner=learner, course=course)
    ChapterProgress.objects.create(
        enrollment=enrollment, chapter=course.chapters.first(), read_at=timezone.now()
    )
    listing = admin_client.get(reverse("admin:learning_enrollment_changelist")).content.decode()
    assert learner.full_name in listing
    page = admin_client.get(reverse("admin:learning_enrollment_change", args=[enrollment.pk]))
    assert "1. Chapter 1" in page.content.decode()


def _article(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def import_upload(admin_client, data: dict, capture) -> str:
    """Post an upload to the admin's import, let the task run (the immediate backend runs
    it once the request's transaction commits), and read the import's own page."""
    with capture(execute=True):
        queued = admin_client.post(reverse("admin:courses_course_import"), data)
    assert queued.status_code == 302, queued.content.decode()[:500]
    return admin_client.get(queued["Location"]).content.decode()


def test_admin_imports_a_course_from_uploaded_articles(
    admin_client, django_capture_on_commit_callbacks
):
    changelist = admin_client.get(reverse("admin:courses_course_changelist")).content.decode()
    assert "Import articles" in changelist
    page = import_upload(
        admin_client,
        {
            "title": "Calm Calls",
            "articles": [
                _article("02-second.md", b"# Second Page\n\nMore text here.\n"),
                _article("01-first.txt", b"First Page\n\n1. Breathe\n\nBreathing slows you.\n"),
            ],
        },
        django_capture_on_commit_callbacks,
    )
    assert "Imported course &#x27;calm-calls&#x27;: 2 chapters" in page
    assert "Imported</strong>" in page and 'value="100"' in page
    course = Course.objects.get(slug="calm-calls")
    assert course.title == "Calm Calls"
    assert list(course.chapters.values_list("title", flat=True)) == ["First Page", "Second Page"]


def test_admin_import_of_a_bad_file_names_it_and_writes_nothing(
    admin_client, django_capture_on_commit_callbacks
):
    page = import_upload(
        admin_client,
        {
            "slug": "broken",
            "articles": [
                _article("01-good.md", b"# Good\n\nFine.\n"),
                _article("02-bad.txt", b"caf\xe9 au lait\n"),  # Latin-1, not UTF-8
            ],
        },
        django_capture_on_commit_callbacks,
    )
    assert "Nothing imported: 02-bad.txt line 1: not UTF-8 text" in page
    assert tempfile.gettempdir() not in page  # the temporary folder means nothing to an admin
    assert not Course.objects.filter(slug="broken").exists()


@pytest.mark.django_db(transaction=True)
def test_an_upload_returns_at_once_and_the_worker_imports_it(settings):
    """Issue 26: a large upload imported inside the request hit gunicorn's timeout and came
    back as a bare 500. The request now only keeps the files; the worker imports them."""
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import User
    from courses.models import CourseImport

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    admin = User.objects.create_superuser("boss", "boss@example.org", "a long passphrase 42")
    client = Client()
    client.force_login(admin)
    articles = [
        _article(f"{n:02}-page.md", f"# Page {n}\n\nText {n}.\n".encode()) for n in range(1, 6)
    ]
    queued = client.post(
        reverse("admin:courses_course_import"), {"title": "Background", "articles": articles}
    )
    job = CourseImport.objects.get()
    assert queued.status_code == 302 and str(job.pk) in queued["Location"]
    assert (job.status, job.files_total, job.files.count()) == ("queued", 5, 5)
    assert not Course.objects.filter(slug="background").exists()
    waiting = client.get(queued["Location"]).content.decode()
    assert 'http-equiv="refresh"' in waiting and "0 of 5 files read" in waiting

    call_command("worker", "--batch", "--interval", "0")
    job.refresh_from_db()
    assert (job.status, job.files_done, job.files.count()) == ("done", 5, 0)
    assert job.course.chapters.count() == 5 and job.created_by == admin
    done = client.get(queued["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in done and "Open “Background”" in done

"""Imports never block learners, never 500, never half-write (issue 9, items 7-9 and 11)."""

import shutil
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from certificates.models import Certificate
from core.markdown import MarkdownError, render_markdown
from courses.models import Chapter, Course
from courses.services import ChapterRemovalRefused, course_import
from learning.models import ChapterProgress, Enrollment
from learning.services import enrollment_certificate
from quizzes.formats import FormatError
from quizzes.models import Attempt, Question
from quizzes.services import questions_import
from tests import hostile
from tests.conftest import make_course, make_question, make_user
from tests.exercise_form import form_choice
from tests.test_courses_admin import import_upload

DATA = Path(__file__).parent / "data" / "articles"


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "calm-under-fire"
    shutil.copytree(DATA / "course", target)
    return target


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("admin", "admin@example.com", "pw"))
    return client


def _import_command(*args) -> str:
    out = StringIO()
    call_command("import_course", *map(str, args), stdout=out)
    return out.getvalue()


def _gift(count: int) -> str:
    return "\n\n".join(
        f"::Q{n}:: Which number is {n}? {{={n} ~{n + 1} ~{n + 2} ~{n + 3}}}" for n in range(count)
    )


def _upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


# --- item 8: Markdown nested too deeply -------------------------------------------------


@pytest.mark.parametrize("case", ["nested_list"])
def test_deep_nesting_in_an_article_is_a_one_line_error_naming_file_and_line(db, tmp_path, case):
    folder = tmp_path / "deep"
    folder.mkdir()
    (folder / "01-deep.md").write_text("# Deep\n\n" + hostile.nested_markdown()[case])
    with pytest.raises(CommandError) as refused:
        _import_command(folder)
    message = str(refused.value)
    assert "01-deep.md line " in message and "nested too deeply" in message
    assert "\n" not in message and "Nothing was imported" in message
    assert not Course.objects.exists()


def test_deep_nesting_in_the_admin_upload_is_a_message_not_a_500(
    admin_client, django_capture_on_commit_callbacks
):
    page = import_upload(
        admin_client,
        {
            "articles": [
                _upload("01-deep.md", "# Deep\n\n" + hostile.nested_markdown()["nested_list"])
            ],
            "title": "Deep",
        },
        django_capture_on_commit_callbacks,
    )
    assert "Nothing imported: 01-deep.md line" in page
    assert not Course.objects.exists()


@pytest.mark.parametrize("case", ["nested_quote", "nested_emphasis"])
def test_other_deep_markdown_imports_and_renders(db, tmp_path, case):
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "01-odd.md").write_text("# Odd\n\n" + hostile.nested_markdown()[case])
    _import_command(folder)
    assert Chapter.objects.get().body_html


def test_deep_nesting_in_a_question_file_names_its_line(db, tmp_path):
    course = make_course(chapters=1)
    stem = hostile.nested_markdown()["nested_list"].replace("{", "").replace("}", "")
    path = tmp_path / "deep.gift"
    path.write_text(_gift(2) + "\n\n::Deep:: [markdown]" + stem.replace("\n", "\\n") + "{=a ~b}\n")
    with pytest.raises(
        FormatError, match=r"deep.gift line 5: lists or quotes are nested too deeply"
    ):
        questions_import(path=path, course=course)
    assert not Question.objects.exists()


def test_deep_nesting_typed_into_the_chapter_admin_is_a_field_error(admin_client):
    course = make_course(chapters=1)
    chapter = course.chapters.get()
    response = admin_client.post(
        reverse("admin:courses_chapter_change", args=[chapter.pk]),
        {
            "course": course.pk,
            "position": 1,
            "title": "Deep",
            "slug": "deep",
            "body_markdown": hostile.nested_markdown()["nested_list"],
        },
    )
    assert response.status_code == 200
    assert "nested too deeply" in response.content.decode()
    chapter.refresh_from_db()
    assert chapter.title == "Chapter 1"


# --- item 9: colliding names and upload limits ---------------------------------------


@pytest.mark.parametrize(("first", "second"), hostile.colliding_names())
def test_files_whose_saved_names_collide_are_refused_naming_both(admin_client, first, second):
    response = admin_client.post(
        reverse("admin:courses_course_import"),
        {
            "articles": [_upload(first, "# One\n\nText.\n"), _upload(second, "# Two\n\nText.\n")],
            "title": "Clash",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"&#x27;{first}&#x27; and &#x27;{second}&#x27; would both be saved as" in html
    assert not Course.objects.exists()


def test_more_files_than_the_limit_get_a_form_message(admin_client, settings):
    settings.IMPORT_MAX_FILES = 3
    files = [_upload(f"{n:02d}.md", f"# Ch {n}\n\nText.\n") for n in range(4)]
    response = admin_client.post(
        reverse("admin:courses_course_import"), {"articles": files, "title": "Many"}
    )
    assert response.status_code == 200
    assert "4 files in one upload; at most 3: upload fewer" in response.content.decode()
    assert not Course.objects.exists()


def test_more_files_than_django_accepts_get_a_clear_page_not_a_bare_400(admin_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 5
    files = [_upload(f"{n:02d}.md", f"# Ch {n}\n\nText.\n") for n in range(6)]
    admin_client.raise_request_exception = False
    response = admin_client.post(
        reverse("admin:courses_course_import"), {"articles": files, "title": "Many"}
    )
    assert response.status_code == 400
    assert "Too many files in one upload" in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_a_too_big_question_file_is_refused_naming_the_limit(admin_client, settings):
    settings.IMPORT_MAX_FILE_BYTES = 1000
    course = make_course(chapters=1)
    response = admin_client.post(
        reverse("admin:quizzes_question_import"),
        {"course": course.pk, "file": _upload("big.gift", _gift(40))},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "big.gift:" in html and "over the limit of 1000" in html
    assert not Question.objects.exists()


def test_too_many_questions_are_refused_up_front_naming_the_limit(admin_client, settings):
    settings.QUESTION_IMPORT_MAX = 25
    course = make_course(chapters=1)
    response = admin_client.post(
        reverse("admin:quizzes_question_import"),
        {"course": course.pk, "file": _upload("many.gift", _gift(26))},
        follow=True,
    )
    assert (
        "Nothing imported: many.gift: 26 questions; at most 25 per file"
        in response.content.decode()
    )
    assert not Question.objects.exists()


# --- item 11: a re-import never silently drops learners' progress -------------------


def _learner_with_progress(course: Course, chapter: Chapter, *, completed: bool = False):
    learner = make_user()
    enrollment = Enrollment.objects.create(
        learner=learner, course=course, completed_at=timezone.now() if completed else None
    )
    ChapterProgress.objects.create(enrollment=enrollment, chapter=chapter, read_at=timezone.now())
    return learner, enrollment


def test_reimport_without_a_file_whose_chapter_has_progress_is_refused(db, folder):
    course = course_import(path=folder).course
    records = course.chapters.get(position=3)
    _learner_with_progress(course, records)
    _learner_with_progress(course, records)
    question = make_question(chapter=records)
    Attempt.objects.create(learner=make_user(), question=question, score=0, correct=False)
    (folder / "03-records.txt").unlink()
    (folder / "01-calm.md").write_text("# Changed\n\nNew text.\n")

    with pytest.raises(CommandError) as refused:
        _import_command(folder)

    message = str(refused.value)
    with pytest.raises(ChapterRemovalRefused) as service_refused:
        course_import(path=folder)
    assert [(i.chapter.pk, i.learners, i.attempts) for i in service_refused.value.at_stake] == [
        (records.pk, 2, 1)
    ]
    assert "chapter 3 'Keeping Records of Difficult Calls' (03-records.txt)" in message
    assert "progress of 2 learners, 1 attempt on its questions" in message
    assert "--remove-missing" in message
    assert ChapterProgress.objects.filter(chapter=records).count() == 2
    assert course.chapters.get(position=1).title != "Changed"  # nothing written at all


def test_confirmed_removal_keeps_completed_courses_and_certificates(db, folder):
    course = course_import(path=folder).course
    records = course.chapters.get(position=3)
    learner, enrollment = _learner_with_progress(course, records, completed=True)
    certificate = enrollment_certificate(enrollment=enrollment)
    (folder / "03-records.txt").unlink()

    output = _import_command(folder, "--remove-missing")

    assert "removed chapter 3 'Keeping Records of Difficult Calls'" in output
    assert not Chapter.objects.filter(pk=records.pk).exists()
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    assert Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).exists()


def test_the_admin_asks_for_confirmation_then_removes(
    admin_client, folder, django_capture_on_commit_callbacks
):
    course = course_import(path=folder).course
    records = course.chapters.get(position=3)
    _learner_with_progress(course, records)
    files = [
        _upload(p.name, p.read_text())
        for p in sorted(folder.iterdir())
        if p.name != "03-records.txt"
    ]
    capture = django_capture_on_commit_callbacks
    refused = import_upload(admin_client, {"articles": files, "slug": course.slug}, capture)
    assert "progress of 1 learner" in refused
    assert "Remove missing chapters" in refused
    assert Chapter.objects.filter(pk=records.pk).exists()

    for upload in files:
        upload.seek(0)
    done = import_upload(
        admin_client, {"articles": files, "slug": course.slug, "remove_missing": "on"}, capture
    )
    assert "Removed chapter 3" in done
    assert not Chapter.objects.filter(pk=records.pk).exists()


def test_chapters_without_progress_are_removed_without_asking(db, folder):
    course_import(path=folder)
    (folder / "03-records.txt").unlink()
    assert "1 removed" in _import_command(folder)


# --- item 7: learners answer while a long import runs --------------------------------


@pytest.mark.django_db(transaction=True)
def test_learners_answer_while_ten_thousand_questions_import(tmp_path, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "answer": (100_000, 60)}
    course = make_course(chapters=1)
    chapter = course.chapters.get()
    question = make_question(chapter=chapter)
    bank = make_course(chapters=1, slug="bank")
    path = tmp_path / "bank.gift"
    path.write_text(_gift(10_000))
    learners = [make_user() for _ in range(4)]
    url = reverse("learning:answer", args=[course.slug, chapter.slug])
    statuses: list[int] = []
    importing = threading.Event()
    done = threading.Event()

    def run_import():
        importing.set()
        try:
            questions_import(path=path, course=bank)
        finally:
            done.set()
            connection.close()

    def answer(learner):
        client = Client(raise_request_exception=False)
        client.force_login(learner)
        importing.wait()
        data = {
            "question": question.pk,
            "choice": form_choice(question, "Raising your voice", learner),
        }
        try:
            while not done.is_set():
                statuses.append(client.post(url, data).status_code)
                time.sleep(0.05)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_import)] + [
        threading.Thread(target=answer, args=(learner,)) for learner in learners
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert Question.objects.filter(course=bank).count() == 10_000
    assert len(statuses) >= len(learners)
    assert set(statuses) == {302}
    assert Attempt.objects.filter(question=question).count() == len(statuses)


def test_a_refused_document_leaves_the_renderer_working():
    with pytest.raises(MarkdownError):
        render_markdown(hostile.nested_markdown()["nested_list"])
    assert render_markdown("- one\n- <b onclick=x>two</b>\n") == (
        "<ul>\n<li>one</li>\n<li><b>two</b></li>\n</ul>"
    )

"""Quizzes admin: import upload, attempt CSV export, per-question statistics."""

import csv
import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt, Question
from quizzes.reports import first_try_counts, questions_with_stats

from .conftest import choice_key, make_course, make_question, make_user

DATA = Path(__file__).parent / "data"
CHANGELIST = "admin:quizzes_question_changelist"
IMPORT = "admin:quizzes_question_import"


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    if content is None:
        content = (DATA / name).read_bytes()
    return SimpleUploadedFile(Path(name).name, content, content_type="text/plain")


def attempt(
    learner, question, *, correct: bool, minutes_ago: int, context: str = Attempt.Context.EXERCISE
) -> Attempt:
    made = Attempt.objects.create(
        learner=learner,
        question=question,
        context=context,
        correct=correct,
        score=Decimal(1 if correct else 0),
        response={
            "choice": choice_key(question, "Active listening" if correct else "Raising your voice")
        },
    )
    # Attempts are ordered by time; set it explicitly so "first" is unambiguous.
    Attempt.objects.filter(pk=made.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return made


def test_question_changelist_links_to_the_import_form(admin_client):
    page = admin_client.get(reverse(CHANGELIST))
    assert page.status_code == 200
    assert reverse(IMPORT).encode() in page.content
    assert b"Import questions" in page.content
    form = admin_client.get(reverse(IMPORT))
    assert form.status_code == 200
    assert b'enctype="multipart/form-data"' in form.content
    assert b'name="file"' in form.content


def test_admin_upload_imports_the_file_into_the_course_and_chapter(admin_client):
    course = make_course(title="Customer Service")
    chapter = course.chapters.get(position=2)
    response = admin_client.post(
        reverse(IMPORT),
        {
            "course": course.pk,
            "chapter": chapter.pk,
            "format": "",
            "file": upload("gift/description_and_essay.gift"),
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(CHANGELIST)
    messages = [str(m) for m in response.context["messages"]]
    assert "Imported 1 questions into Customer Service (2 skipped)." in messages
    assert any(m.startswith("description_and_essay.gift line 4: essay") for m in messages)
    question = chapter.questions.get()
    assert (question.name, question.origin, question.status) == ("Kept", "imported", "published")


def test_admin_upload_of_a_bad_file_shows_the_line_and_writes_nothing(admin_client):
    course = make_course()
    response = admin_client.post(
        reverse(IMPORT),
        {"course": course.pk, "format": "gift", "file": upload("gift/errors/unclosed_brace.gift")},
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "Nothing imported: unclosed_brace.gift line 3: '{' is never closed "
        "(write a literal brace as \\{)"
    ]
    assert Question.objects.count() == 0


def test_admin_upload_refuses_a_chapter_from_another_course(admin_client):
    course, other = make_course(), make_course(title="Other")
    response = admin_client.post(
        reverse(IMPORT),
        {
            "course": course.pk,
            "chapter": other.chapters.first().pk,
            "format": "",
            "file": upload("aiken/sample.aiken.txt"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["chapter"] == [f"That chapter is not in {course}."]
    assert Question.objects.count() == 0


def test_import_form_needs_permission_to_add_questions(db, client):
    staff = make_user(is_staff=True)
    client.force_login(staff)
    assert client.get(reverse(IMPORT)).status_code == 403


def test_question_admin_edits_choices_inline(admin_client):
    question = make_question(course=make_course())
    page = admin_client.get(reverse("admin:quizzes_question_change", args=[question.pk]))
    assert page.status_code == 200
    assert b"Raising your voice" in page.content
    assert b'name="choices-TOTAL_FORMS" value="4"' in page.content


def test_question_changelist_filters_and_search(admin_client):
    course = make_course()
    make_question(course=course, stem="Which technique helps?")
    make_question(course=course, qtype="multiple", stem="Pick all that apply", status="draft")
    base = reverse(CHANGELIST)
    assert b"Pick all that apply" in admin_client.get(f"{base}?qtype__exact=multiple").content
    assert b"Pick all" not in admin_client.get(f"{base}?status__exact=published").content
    assert b"Pick all" in admin_client.get(f"{base}?q=apply").content
    filtered = admin_client.get(f"{base}?origin__exact=imported")
    assert b"Pick all" not in filtered.content


def test_facility_is_the_share_of_learners_right_on_their_first_attempt(db):
    chapter = make_course().chapters.first()
    question = make_question(chapter=chapter)
    untried = make_question(chapter=chapter)
    late, first_time, lucky = make_user(), make_user(), make_user()
    attempt(late, question, correct=False, minutes_ago=10)
    attempt(late, question, correct=True, minutes_ago=5)
    attempt(first_time, question, correct=True, minutes_ago=9)
    attempt(lucky, question, correct=True, minutes_ago=8)
    attempt(lucky, question, correct=False, minutes_ago=1)

    stats = questions_with_stats(Question.objects.all()).get(pk=question.pk)
    assert (stats.attempt_count, stats.learner_count, stats.first_right_count) == (5, 3, 2)
    assert stats.facility == pytest.approx(2 / 3)
    none = questions_with_stats(Question.objects.all()).get(pk=untried.pk)
    assert (none.attempt_count, none.facility) == (0, None)


def test_facility_counts_chapter_exercises_only_like_the_course_report(db):
    chapter = make_course().chapters.first()
    question = make_question(chapter=chapter)
    exam_first, exercise_only = make_user(), make_user()
    # An exam answer before the exercise is not the exercise's first try.
    attempt(exam_first, question, correct=False, minutes_ago=10, context=Attempt.Context.EXAM)
    attempt(exam_first, question, correct=True, minutes_ago=5)
    attempt(exercise_only, question, correct=False, minutes_ago=4)
    attempt(exam_first, question, correct=False, minutes_ago=1, context=Attempt.Context.EXAM)

    stats = questions_with_stats(Question.objects.all()).get(pk=question.pk)
    assert (stats.attempt_count, stats.learner_count, stats.first_right_count) == (4, 2, 1)
    assert stats.facility == pytest.approx(1 / 2)
    learners, right = first_try_counts(question_ids=[question.pk])[question.pk]
    assert stats.facility == pytest.approx(right / learners)


def test_changelist_shows_attempts_and_facility_columns(admin_client):
    question = make_question(course=make_course())
    attempt(make_user(), question, correct=True, minutes_ago=3)
    attempt(make_user(), question, correct=False, minutes_ago=2)
    page = admin_client.get(reverse(CHANGELIST))
    content = page.content.decode()
    assert "Facility (first try)" in content
    assert '<td class="field-facility_column">50% of 2</td>' in content
    assert '<td class="field-attempts_column">2</td>' in content


def changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(CHANGELIST)).status_code == 200
    return len(queries)


def test_changelist_query_count_does_not_grow_with_questions(admin_client):
    course = make_course()
    learners = [make_user() for _ in range(3)]
    for n in range(2):
        question = make_question(course=course, chapter=course.chapters.first())
        attempt(learners[n], question, correct=True, minutes_ago=n + 1)
    changelist_queries(admin_client)  # warm: the session's user is then in the cache
    small = changelist_queries(admin_client)
    for n in range(12):
        question = make_question(course=make_course(), stem=f"More {n}?")
        for learner in learners:
            attempt(learner, question, correct=n % 2 == 0, minutes_ago=n + 1)
    assert changelist_queries(admin_client) == small


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_attempt_admin_exports_selected_attempts_as_csv(admin_client):
    question = make_question(course=make_course(), stem="Which technique helps?")
    learner = make_user(username="zoe")
    right = attempt(learner, question, correct=True, minutes_ago=2)
    attempt(learner, question, correct=False, minutes_ago=1)
    response = admin_client.post(
        reverse("admin:quizzes_attempt_changelist"),
        {"action": "export_csv", "_selected_action": [right.pk]},
    )
    rows = read_csv(response)
    right.refresh_from_db()
    assert rows == [
        ["learner", "question", "response", "score", "correct", "time"],
        [
            "zoe",
            "Which technique helps?",
            "Active listening",
            "1",
            "yes",
            right.created_at.isoformat(),
        ],
    ]


def test_attempt_export_button_exports_what_the_filters_show(admin_client):
    question = make_question(course=make_course())
    learner = make_user(username="=cmd")
    attempt(learner, question, correct=True, minutes_ago=2)
    attempt(learner, question, correct=False, minutes_ago=1)
    page = admin_client.get(reverse("admin:quizzes_attempt_changelist") + "?correct__exact=0")
    assert b"Export attempts as CSV" in page.content
    export_url = reverse("admin:quizzes_attempt_export") + "?correct__exact=0"
    assert export_url.encode() in page.content
    rows = read_csv(admin_client.get(export_url))
    assert len(rows) == 2
    # A cell that a spreadsheet would run as a formula is defused.
    assert rows[1][:5] == ["'=cmd", "Which technique helps?", "Raising your voice", "0", "no"]


def test_attempts_are_read_only_in_the_admin(admin_client):
    question = make_question(course=make_course())
    made = attempt(make_user(), question, correct=True, minutes_ago=1)
    assert admin_client.get(reverse("admin:quizzes_attempt_add")).status_code == 403
    page = admin_client.get(reverse("admin:quizzes_attempt_change", args=[made.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content


def test_admin_publishes_reviewed_drafts_and_learners_then_see_them(admin_client, client):
    course = make_course(chapters=1)
    chapter = course.chapters.get()
    draft = make_question(chapter=chapter, stem="A generated draft?", status="draft")
    client.get(chapter.get_absolute_url())  # a visitor's cached page, without the draft
    assert "A generated draft?" not in client.get(chapter.get_absolute_url()).content.decode()

    changelist = reverse("admin:quizzes_question_changelist")
    response = admin_client.post(
        changelist, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    assert "Published 1 question." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Question.Status.PUBLISHED
    assert "A generated draft?" in client.get(chapter.get_absolute_url()).content.decode()

    admin_client.post(changelist, {"action": "move_to_draft", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Question.Status.DRAFT
    assert "A generated draft?" not in client.get(chapter.get_absolute_url()).content.decode()

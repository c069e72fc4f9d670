"""import_questions / export_questions: the commands, the services, the round trip."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from quizzes.formats import FormatError
from quizzes.models import BLANK, Choice, Question
from quizzes.services import questions_export, questions_import

from .conftest import make_course, make_question

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent
ALL_TYPES = DATA / "gift" / "all_types.gift"


def run_import(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_questions", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def export(slug: str) -> str:
    out = io.StringIO()
    call_command("export_questions", slug, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_import_command_creates_published_imported_questions_and_prints_a_summary():
    course = make_course(slug="service", title="Customer Service")
    out, _ = run_import(ALL_TYPES, "--course", "service")
    questions = list(course.questions.order_by("position"))
    assert len(questions) == 13
    assert {(q.origin, q.status, q.chapter_id) for q in questions} == {
        ("imported", "published", None)
    }
    assert sum(line.startswith("  line ") for line in out.splitlines()) == 13
    assert "line 4: Single choice: Calm voice" in out
    assert out.strip().endswith("Imported 13 questions into Customer Service")


@pytest.mark.django_db
def test_import_into_a_chapter_makes_the_questions_its_exercise():
    course = make_course(slug="service")
    run_import(DATA / "aiken" / "sample.aiken.txt", "--course", "service", "--chapter", "chapter-2")
    chapter = course.chapters.get(slug="chapter-2")
    assert chapter.questions.count() == 3
    assert set(chapter.questions.values_list("qtype", flat=True)) == {"single"}


@pytest.mark.django_db
def test_import_appends_after_the_course_questions_in_file_order():
    course = make_course(slug="service")
    existing = make_question(course=course)
    Question.objects.filter(pk=existing.pk).update(position=7)
    run_import(DATA / "aiken" / "sample.aiken.txt", "--course", "service")
    positions = list(course.questions.order_by("position").values_list("position", flat=True))
    assert positions == [7, 8, 9, 10]


@pytest.mark.django_db
def test_skipped_items_are_warned_about_and_counted_in_the_summary():
    make_course(slug="service")
    out, err = run_import(DATA / "gift" / "description_and_essay.gift", "--course", "service")
    assert "warning: description_and_essay.gift line 2: description" in err
    assert "warning: description_and_essay.gift line 4: essay question 'Reflect'" in err
    assert (
        "Imported 1 questions into Sample Course (2 skipped: line 2: description, "
        "line 4: essay question 'Reflect')" in out
    )


@pytest.mark.django_db
def test_format_option_overrides_the_extension(tmp_path):
    make_course(slug="service")
    path = tmp_path / "questions.txt"
    path.write_text("Sky?\nA) blue\nB) green\nANSWER: A\n")
    out, _ = run_import(path, "--course", "service", "--format", "aiken")
    assert "Imported 1 questions" in out


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("gift/errors/unclosed_brace.gift", "unclosed_brace.gift line 3: '{' is never closed"),
        ("gift/errors/bad_weight.gift", "bad_weight.gift line 3: weight 45%"),
        ("aiken/errors/missing_answer.aiken", "missing_answer.aiken line 1: question"),
    ],
)
def test_bad_file_fails_the_command_and_writes_nothing(path, message):
    course = make_course(slug="service")
    make_question(course=course)
    with pytest.raises(CommandError) as caught:
        run_import(DATA / path, "--course", "service")
    assert str(caught.value).startswith(message)
    assert Question.objects.count() == 1
    assert Choice.objects.count() == 4


@pytest.mark.django_db
def test_unknown_course_or_chapter_is_a_one_line_error():
    make_course(slug="service")
    with pytest.raises(CommandError, match="no course with slug 'nope'"):
        run_import(ALL_TYPES, "--course", "nope")
    with pytest.raises(CommandError, match="course 'service' has no chapter 'nope'"):
        run_import(ALL_TYPES, "--course", "service", "--chapter", "nope")
    assert Question.objects.count() == 0


@pytest.mark.django_db
def test_service_refuses_a_bad_file_before_writing(tmp_path):
    course = make_course()
    path = tmp_path / "late_error.gift"
    # Twenty good questions, then a bad one: none of the twenty may be written.
    path.write_text("".join(f"Q{n}?{{T}}\n\n" for n in range(20)) + "Bad.{=a ~%45%b}\n")
    with pytest.raises(FormatError, match="late_error.gift line 41: weight 45%"):
        questions_import(path=path, course=course)
    assert course.questions.count() == 0


@pytest.mark.django_db
def test_service_refuses_a_chapter_of_another_course():
    course, other = make_course(), make_course()
    with pytest.raises(ValueError, match="is not in course"):
        questions_import(path=ALL_TYPES, course=course, chapter=other.chapters.first())


@pytest.mark.django_db
def test_service_reports_created_questions_with_their_lines():
    course = make_course()
    report = questions_import(path=DATA / "gift" / "description_and_essay.gift", course=course)
    assert [q.name for q in report.created] == ["Kept"]
    assert report.lines == [6]
    assert len(report.warnings) == 2


@pytest.mark.django_db
def test_imported_choices_render_their_markdown():
    course = make_course()
    questions_import(path=ALL_TYPES, course=course)
    match = course.questions.get(name="Match")
    assert match.stem_html == "<p>Match the <b>word</b> to its meaning.</p>"
    plain = course.questions.get(stem_markdown__startswith="Which is bigger")
    assert [c.text_html for c in plain.choices.order_by("position")] == ["&lt;7&gt;", "2*3"]


@pytest.mark.django_db
def test_export_import_export_round_trip_is_byte_identical(tmp_path):
    first, second = make_course(slug="first"), make_course(slug="second")
    questions_import(path=ALL_TYPES, course=first)
    exported = export("first")
    target = tmp_path / "first.gift"
    target.write_text(exported, encoding="utf-8")
    run_import(target, "--course", "second")
    assert export("second") == exported
    assert second.questions.count() == 13
    # Every type, feedback, weights, escapes, names and categories are in the export.
    for fragment in [
        "$CATEGORY: $course$/Listening skills\n",
        "$CATEGORY: $course$/Numbers\n",
        "::Calm voice::[markdown]What helps most",
        "\t~%-100%Blaming others\n",
        "{TRUE#Think again.#Right\\: a pause helps.####Pauses let people think.}",
        "\t=%50%paris, France#Close enough.\n",
        "\t=%0%*#Not a city we know.\n",
        "\t=3.14:0.005#Good.\n",
        "\t=3:2\n",
        "\t~#Look it up.\n",
        "\t= -> Feeling nothing\n",
        "\t~%33.33333%one\n",
        "} to the speaker.\n",
        "\t####Listening first, solutions second.\n",
    ]:
        assert fragment in exported


@pytest.mark.django_db
def test_round_trip_keeps_a_blank_at_the_end_of_a_stem(tmp_path):
    first, second = make_course(slug="first"), make_course(slug="second")
    make_question(
        course=first,
        qtype="missingword",
        stem=f"Customers calm down when {BLANK}",
        choices=[{"text": "heard", "fraction": 1}, {"text": "ignored", "fraction": 0}],
    )
    path = tmp_path / "blank.gift"
    path.write_text(export("first"), encoding="utf-8")
    questions_import(path=path, course=second)
    question = second.questions.get()
    assert question.qtype == "missingword"
    assert question.stem_markdown.startswith(f"Customers calm down when {BLANK}")
    assert export("second") == export("first")


@pytest.mark.django_db
def test_export_writes_utf8_for_any_text():
    course = make_course(slug="unicode")
    make_question(course=course, stem="Zoë asks 李小龍 — which answer?")
    assert "Zoë asks 李小龍 — which answer?{" in export("unicode")


@pytest.mark.django_db
def test_export_of_unknown_course_is_a_command_error():
    with pytest.raises(CommandError, match="no course with slug 'nope'"):
        export("nope")


def test_command_on_a_bad_file_exits_non_zero_without_a_traceback(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    manage = [sys.executable, str(ROOT / "manage.py")]

    def run(*args):
        return subprocess.run(
            [*manage, *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert run("migrate", "--verbosity", "0").returncode == 0
    created = run(
        "shell",
        "-c",
        "from courses.models import Course; Course.objects.create(title='T', slug='t')",
    )
    assert created.returncode == 0, created.stderr
    result = run(
        "import_questions", str(DATA / "gift" / "errors" / "unclosed_brace.gift"), "--course", "t"
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "unclosed_brace.gift line 3: '{' is never closed" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.django_db
def test_export_service_includes_drafts_in_course_order():
    course = make_course()
    make_question(course=course, stem="Second?", status="draft")
    Question.objects.update(position=2)
    make_question(course=course, stem="First?")
    text = questions_export(course=course)
    assert text.index("First?") < text.index("Second?")
    assert text.startswith("// Chapterwise GIFT export, format_version 1.")

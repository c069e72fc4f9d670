"""import_course / export_course: real files in, a readable course out, all or nothing."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from courses.models import Chapter, Course
from courses.services import ArticleError, course_export, course_import
from learning.models import ChapterProgress, Enrollment
from tests.conftest import make_user, run_manage

DATA = Path(__file__).parent / "data" / "articles"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "calm-under-fire"
    shutil.copytree(DATA / "course", target)
    return target


def run(*args) -> str:
    out = StringIO()
    call_command("import_course", *map(str, args), stdout=out)
    return out.getvalue()


def test_folder_becomes_a_course_with_chapters_in_file_name_order(db, folder):
    output = run(folder, "--title", "Calm Under Fire")
    course = Course.objects.get(slug="calm-under-fire")
    assert course.title == "Calm Under Fire"
    titles = list(course.chapters.order_by("position").values_list("position", "title"))
    assert titles == [
        (1, "Keeping Your Head When a Customer Loses Theirs"),
        (2, "Writing Replies That Calm"),
        (3, "Keeping Records of Difficult Calls"),
    ]
    assert "   1. Keeping Your Head When a Customer Loses Theirs — " in output
    assert "1 minute (created)" in output
    assert output.strip().endswith(
        "Imported course 'calm-under-fire': 3 chapters "
        "(3 created, 0 updated, 0 unchanged, 0 removed)"
    )


def test_imported_chapter_is_clean_markdown_with_headings(db, folder):
    course_import(path=folder)
    chapter = Chapter.objects.get(position=1)
    assert '<h2 id="s-breathe-before-replying">Breathe Before Replying</h2>' in chapter.body_html
    assert "Google Play" not in chapter.body_markdown
    assert "Now answer the exercise" not in chapter.body_markdown
    assert chapter.word_count > 50 and chapter.reading_minutes == 1


def test_markdown_title_from_front_matter_is_not_repeated_in_the_body(db, folder):
    course_import(path=folder)
    chapter = Chapter.objects.get(position=2)
    assert chapter.title == "Writing Replies That Calm"
    assert "<h1>" not in chapter.body_html
    assert chapter.body_markdown.startswith("A written reply")


def test_markdown_title_from_first_heading_or_first_line(db, tmp_path):
    (tmp_path / "a.md").write_text("# From The Heading\n\nBody one.\n")
    (tmp_path / "b.md").write_text("From the first line\nBody two.\n")
    report = course_import(path=tmp_path, slug="titles")
    assert [r.chapter.title for r in report.chapters] == ["From The Heading", "From the first line"]
    assert [r.chapter.body_markdown for r in report.chapters] == ["Body one.\n", "Body two.\n"]


def test_reimport_updates_in_place_and_removes_chapters_of_deleted_files(db, folder):
    course_import(path=folder)
    first = Chapter.objects.get(position=1)
    learner = make_user()
    enrollment = Enrollment.objects.create(learner=learner, course=first.course)
    ChapterProgress.objects.create(enrollment=enrollment, chapter=first)

    (folder / "02-replies.md").write_text("---\ntitle: Writing Replies\n---\n\nShorter now.\n")
    (folder / "03-records.txt").unlink()
    (folder / "00-welcome.md").write_text("# Welcome\n\nStart here.\n")
    output = run(folder)

    course = Course.objects.get(slug="calm-under-fire")
    chapters = list(course.chapters.order_by("position"))
    assert [c.title for c in chapters] == [
        "Welcome",
        "Keeping Your Head When a Customer Loses Theirs",
        "Writing Replies",
    ]
    assert chapters[1].pk == first.pk  # same chapter, learner's progress kept
    assert ChapterProgress.objects.filter(chapter=first).exists()
    assert chapters[2].body_markdown == "Shorter now.\n"
    # Moving to another position counts as an update.
    assert "(1 created, 2 updated, 0 unchanged, 1 removed)" in output


def test_reimport_of_an_unchanged_folder_changes_nothing(db, folder):
    course_import(path=folder)
    before = list(Chapter.objects.values_list("pk", "slug", "position", "body_html"))
    report = course_import(path=folder)
    assert [r.status for r in report.chapters] == ["unchanged"] * 3
    assert list(Chapter.objects.values_list("pk", "slug", "position", "body_html")) == before
    assert Course.objects.count() == 1


def test_duplicate_titles_get_distinct_slugs(db, tmp_path):
    (tmp_path / "a.md").write_text("# Same\n\nOne.\n")
    (tmp_path / "b.md").write_text("# Same\n\nTwo.\n")
    course_import(path=tmp_path, slug="twins")
    assert sorted(Chapter.objects.values_list("slug", flat=True)) == ["same", "same-2"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("binary.txt", "binary.txt line 1: binary data"),
        ("latin1.txt", "latin1.txt line 1: not UTF-8 text (byte 0xe9)"),
        ("empty.md", "empty.md: the file is empty"),
        ("only_junk.txt", "only_junk.txt: no article text is left"),
        ("unclosed_front_matter.md", "unclosed_front_matter.md line 1: front matter"),
    ],
)
def test_one_bad_file_refuses_the_whole_folder_and_writes_nothing(db, folder, name, message):
    course_import(path=folder)
    before = list(Chapter.objects.values_list("pk", "title", "body_markdown", "position"))
    (folder / "02-replies.md").write_text("# Changed\n\nThis change must not land.\n")
    shutil.copy(DATA / name, folder / f"99-{name}")

    with pytest.raises(CommandError) as raised:
        run(folder)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert list(Chapter.objects.values_list("pk", "title", "body_markdown", "position")) == before


def test_new_course_is_not_created_when_a_file_is_bad(db, folder):
    shutil.copy(DATA / "binary.txt", folder / "binary.txt")
    with pytest.raises(ArticleError):
        course_import(path=folder)
    assert not Course.objects.exists()


def test_missing_path_not_a_folder_and_empty_folder(db, tmp_path):
    with pytest.raises(CommandError, match="nope: no such folder"):
        run(tmp_path / "nope")
    (tmp_path / "file.md").write_text("# A\n\nB\n")
    with pytest.raises(CommandError, match="file.md: not a folder"):
        run(tmp_path / "file.md")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.pdf").write_bytes(b"%PDF")
    with pytest.raises(CommandError, match="empty: no .md or .txt articles"):
        run(tmp_path / "empty")
    assert not Course.objects.exists()


def test_command_exits_non_zero_with_one_line_and_no_traceback(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    shutil.copy(DATA / "latin1.txt", bad / "latin1.txt")
    result = run_manage(
        "import_course", str(bad), env={"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "latin1.txt line 1: not UTF-8 text" in result.stderr


def test_export_writes_markdown_that_imports_to_the_same_course(db, folder, tmp_path):
    course = course_import(path=folder, title="Calm Under Fire").course
    out = StringIO()
    call_command("export_course", course.slug, str(tmp_path / "export"), stdout=out)
    files = sorted(p.name for p in (tmp_path / "export").iterdir())
    assert files == [
        "01-keeping-your-head-when-a-customer-loses-theirs.md",
        "02-writing-replies-that-calm.md",
        "03-keeping-records-of-difficult-calls.md",
    ]
    copy = course_import(path=tmp_path / "export", slug="copy").course

    def shape(c):
        return list(
            c.chapters.values_list("position", "title", "slug", "body_markdown", "reading_minutes")
        )

    assert shape(copy) == shape(course)
    first = (tmp_path / "export" / files[0]).read_bytes()
    call_command("export_course", "copy", str(tmp_path / "again"), stdout=StringIO())
    assert (tmp_path / "again" / files[0]).read_bytes() == first


def test_export_of_a_title_with_quotes_and_colons_round_trips(db, tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.md").write_text('# "Quoted": a title\n\nBody.\n')
    course = course_import(path=tmp_path / "src", slug="q").course
    course_export(course=course, directory=tmp_path / "out")
    copy = course_import(path=tmp_path / "out", slug="q2").course
    assert copy.chapters.get().title == '"Quoted": a title'


def test_export_of_an_unknown_course_is_a_one_line_error(db, tmp_path):
    with pytest.raises(CommandError, match="No course with the slug 'nope'"):
        call_command("export_course", "nope", str(tmp_path))

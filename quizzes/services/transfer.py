"""Question import (GIFT, Aiken) and export (GIFT).

Files are parsed completely into plain data first (quizzes.formats), so a file with an
error is refused before any row is written.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Prefetch

from core.markdown import MarkdownError
from courses.models import Chapter, Course
from quizzes.formats import FormatError, ParsedChoice, ParsedQuestion, parse_file, write_gift
from quizzes.models import Choice, Question


@dataclass
class ImportReport:
    created: list[Question] = field(default_factory=list)
    # The line in the file where each created question starts, in the same order.
    lines: list[int] = field(default_factory=list)
    # Items read but not imported (essays, descriptions), each naming its line.
    warnings: list[str] = field(default_factory=list)


def questions_import(
    *,
    path: Path,
    course: Course,
    chapter: Chapter | None = None,
    bank_chapter: Chapter | None = None,
    fmt: str | None = None,
) -> ImportReport:
    """Add every question of a GIFT or Aiken file to a course, or none of them.

    With ``chapter`` the questions become that chapter's exercise; with ``bank_chapter``
    they wait in the exam bank as that chapter's questions (the final exam draws them for
    it instead of repeating its exercise).

    Raises quizzes.formats.FormatError ("<file> line N: why") for a file that cannot be
    imported; nothing is written then. The file is parsed and every stem and choice
    rendered before the write transaction, which then only inserts rows: learners answering
    during a 10,000-question import wait about a second for SQLite's write lock, not the
    length of the import (bench/RESULTS.md).
    """
    for given in (chapter, bank_chapter):
        if given is not None and given.course_id != course.pk:
            raise ValueError(f"chapter {given} is not in course {course}")
    path = Path(path)
    parsed = parse_file(path=path, fmt=fmt)
    most = settings.QUESTION_IMPORT_MAX
    if len(parsed.questions) > most:
        raise FormatError(
            path,
            None,
            f"{len(parsed.questions):,} questions; at most {most:,} per file: split the file",
        )
    report = ImportReport(warnings=parsed.warnings)
    rows = [
        _rendered(path, item, course=course, chapter=chapter, bank_chapter=bank_chapter)
        for item in parsed.questions
    ]
    with transaction.atomic():
        last = course.questions.aggregate(last=Max("position"))["last"] or 0
        for position, (question, _) in enumerate(rows, start=last + 1):
            question.position = position
        # Bulk inserts: a 10,000-question bank imports in seconds, not minutes.
        Question.objects.bulk_create([question for question, _ in rows], batch_size=500)
        for question, choices in rows:
            for choice in choices:
                choice.question = question
        Choice.objects.bulk_create(
            [choice for _, choices in rows for choice in choices], batch_size=1000
        )
    for (question, _), item in zip(rows, parsed.questions, strict=True):
        report.created.append(question)
        report.lines.append(item.line)
    return report


# What a Choice row and a parsed choice have in common, copied both ways.
_CHOICE_FIELDS = ("text", "fraction", "feedback", "match_text", "value", "tolerance")


def _choice_fields(choice) -> dict:
    return {name: getattr(choice, name) for name in _CHOICE_FIELDS}


def _rendered(
    path: Path,
    item: ParsedQuestion,
    *,
    course: Course,
    chapter: Chapter | None,
    bank_chapter: Chapter | None = None,
) -> tuple[Question, list[Choice]]:
    """Unsaved rows with their Markdown rendered (bulk_create does not call save())."""
    question = Question(
        course=course,
        chapter=chapter,
        source_chapter=bank_chapter,
        name=item.name,
        category=item.category[:255],
        qtype=item.qtype,
        stem_markdown=item.stem,
        general_feedback=item.general_feedback,
        status=Question.Status.PUBLISHED,
        origin=Question.Origin.IMPORTED,
    )
    choices = [
        Choice(position=position, **_choice_fields(parsed_choice))
        for position, parsed_choice in enumerate(item.choices, start=1)
    ]
    try:
        question.refresh_derived()
        for choice in choices:
            choice.refresh_derived()
    except MarkdownError as error:
        raise FormatError(path, item.line, str(error)) from None
    return question, choices


def questions_export(*, course: Course) -> str:
    """Every question of the course (any status) as GIFT text, in course order."""
    questions = course.questions.order_by("position", "pk").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("position", "pk"))
    )
    return write_gift(
        [
            ParsedQuestion(
                qtype=question.qtype,
                stem=question.stem_markdown,
                name=question.name,
                category=question.category,
                general_feedback=question.general_feedback,
                choices=[ParsedChoice(**_choice_fields(c)) for c in question.choices.all()],
            )
            for question in questions
        ]
    )

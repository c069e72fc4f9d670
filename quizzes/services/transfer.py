"""Question import (GIFT, Aiken) and export (GIFT).

Files are parsed completely into plain data first (quizzes.formats), so a file with an
error is refused before any row is written.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Max, Prefetch

from courses.models import Chapter, Course
from courses.pagecache import content_changed
from quizzes.formats import ParsedChoice, ParsedQuestion, parse_file, write_gift
from quizzes.models import Choice, Question


@dataclass
class ImportReport:
    created: list[Question] = field(default_factory=list)
    # The line in the file where each created question starts, in the same order.
    lines: list[int] = field(default_factory=list)
    # Items read but not imported (essays, descriptions), each naming its line.
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def questions_import(
    *, path: Path, course: Course, chapter: Chapter | None = None, fmt: str | None = None
) -> ImportReport:
    """Add every question of a GIFT or Aiken file to a course, or none of them.

    Raises quizzes.formats.FormatError ("<file> line N: why") for a file that cannot be
    imported; nothing is written then.
    """
    if chapter is not None and chapter.course_id != course.pk:
        raise ValueError(f"chapter {chapter} is not in course {course}")
    parsed = parse_file(path=Path(path), fmt=fmt)
    report = ImportReport(warnings=parsed.warnings)
    last = course.questions.aggregate(last=Max("position"))["last"] or 0
    questions = []
    for position, item in enumerate(parsed.questions, start=last + 1):
        question = Question(
            course=course,
            chapter=chapter,
            name=item.name,
            category=item.category[:255],
            qtype=item.qtype,
            stem_markdown=item.stem,
            general_feedback=item.general_feedback,
            status=Question.Status.PUBLISHED,
            origin=Question.Origin.IMPORTED,
            position=position,
        )
        question.refresh_derived()  # bulk_create does not call save()
        questions.append(question)
    # Bulk inserts: a 10,000-question bank imports in seconds, not minutes.
    Question.objects.bulk_create(questions, batch_size=500)
    choices = []
    for question, item in zip(questions, parsed.questions, strict=True):
        for choice_position, parsed_choice in enumerate(item.choices, start=1):
            choice = Choice(
                question=question,
                position=choice_position,
                text=parsed_choice.text,
                fraction=parsed_choice.fraction,
                feedback=parsed_choice.feedback,
                match_text=parsed_choice.match_text,
                value=parsed_choice.value,
                tolerance=parsed_choice.tolerance,
            )
            choice.refresh_derived()
            choices.append(choice)
        report.created.append(question)
        report.lines.append(item.line)
    Choice.objects.bulk_create(choices, batch_size=1000)
    content_changed()  # bulk_create sends no signals: visitors' cached pages must go
    return report


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
                choices=[
                    ParsedChoice(
                        text=choice.text,
                        fraction=choice.fraction,
                        feedback=choice.feedback,
                        match_text=choice.match_text,
                        value=choice.value,
                        tolerance=choice.tolerance,
                    )
                    for choice in question.choices.all()
                ],
            )
            for question in questions
        ]
    )

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes.formats import FORMATS, FormatError
from quizzes.management.lookup import course_and_chapter
from quizzes.services import questions_import


class Command(BaseCommand):
    help = "Import questions from a GIFT or Aiken file into a course (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--course", required=True, help="Slug of the course.")
        parser.add_argument("--chapter", help="Slug of the chapter whose exercise they become.")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            dest="fmt",
            help="Default: from the extension (.gift, .aiken, .aiken.txt).",
        )

    def handle(
        self, *args, file: Path, course: str, chapter: str | None, fmt: str | None, **options
    ):
        course_obj, chapter_obj = course_and_chapter(course, chapter)
        try:
            report = questions_import(path=file, course=course_obj, chapter=chapter_obj, fmt=fmt)
        except FormatError as error:
            raise CommandError(str(error)) from None

        for line, question in zip(report.lines, report.created, strict=True):
            label = str(question).replace("\n", " ")
            self.stdout.write(f"  line {line}: {question.get_qtype_display()}: {label[:70]}")
        for warning in report.warnings:
            self.stderr.write(f"warning: {file.name} {warning}")
        summary = f"Imported {len(report.created)} questions into {course_obj}"
        if chapter_obj is not None:
            summary += f", chapter {chapter_obj}"
        if report.warnings:
            # Each warning starts with "line N: what", so the summary can stay one line.
            skipped = ", ".join(warning.split(" not imported")[0] for warning in report.warnings)
            summary += f" ({len(report.warnings)} skipped: {skipped})"
        self.stdout.write(self.style.SUCCESS(summary))

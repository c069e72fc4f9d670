from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.models import Course
from courses.services import course_export


class Command(BaseCommand):
    help = "Write a course's chapters as Markdown files that import_course reads back."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="course slug")
        parser.add_argument("directory", type=Path, help="folder to write into (created)")

    def handle(self, *args, slug: str, directory: Path, **options):
        course = Course.objects.filter(slug=slug).first()
        if course is None:
            raise CommandError(f"No course with the slug '{slug}'.")
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory}: exists and is not a folder.")
        try:
            written = course_export(course=course, directory=directory)
        except OSError as error:
            raise CommandError(f"{directory}: cannot write ({error.strerror}).") from error
        for path in written:
            self.stdout.write(str(path))
        self.stdout.write(self.style.SUCCESS(f"Exported {len(written)} chapters of '{slug}'."))

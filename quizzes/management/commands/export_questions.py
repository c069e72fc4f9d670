from django.core.management.base import BaseCommand, CommandError

from courses.models import Course
from quizzes.services import questions_export


class Command(BaseCommand):
    help = "Write a course's questions as GIFT (UTF-8) to standard output."

    def add_arguments(self, parser):
        parser.add_argument("course", help="Slug of the course.")

    def handle(self, *args, course: str, **options):
        try:
            course_obj = Course.objects.get(slug=course)
        except Course.DoesNotExist:
            raise CommandError(f"no course with slug '{course}'") from None
        text = questions_export(course=course_obj)
        # Bytes, so that the export is UTF-8 whatever the terminal's locale says.
        buffer = getattr(self.stdout._out, "buffer", None)
        if buffer is not None:
            self.stdout.flush()
            buffer.write(text.encode("utf-8"))
            buffer.flush()
        else:
            self.stdout.write(text, ending="")

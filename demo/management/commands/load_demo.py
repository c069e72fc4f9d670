from django.core.management.base import BaseCommand, CommandError

from core.locks import ReleaseStep
from courses.models import Course
from courses.services import ArticleError
from demo import services as demo
from quizzes.formats import FormatError


class Command(ReleaseStep, BaseCommand):
    # Two nodes starting at once: the second waits, then finds the course there.
    help = f"Load the demo course '{demo.TITLE}' (make run does this on an empty database)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already has a course",
        )

    def handle(self, *args, if_empty: bool, **options):
        if if_empty and Course.objects.exists():
            self.stdout.write("Demo course not loaded: the database already has courses.")
            return
        try:
            course = demo.demo_load()
        except (ArticleError, FormatError) as error:
            raise CommandError(str(error)) from error
        chapters = course.chapters.count()
        questions = course.questions.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded demo course '{course.title}': {chapters} chapters, {questions} questions."
            )
        )

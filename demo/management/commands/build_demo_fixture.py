from django.core.management.base import BaseCommand, CommandError

from courses.services import ArticleError
from demo import services as demo
from quizzes.formats import FormatError


class Command(BaseCommand):
    help = "Rebuild fixtures/demo_course.json from the demo course's Markdown and GIFT sources."

    def handle(self, *args, **options):
        try:
            text = demo.demo_fixture_build()
        except (ArticleError, FormatError) as error:
            raise CommandError(str(error)) from error
        demo.FIXTURE.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {demo.FIXTURE}."))

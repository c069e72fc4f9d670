from django.core.management.base import BaseCommand

from quizzes.management.lookup import course_and_chapter
from quizzes.models import Question
from quizzes.services import questions_generate


class Command(BaseCommand):
    help = (
        "Generate single-choice questions from each chapter's '## Term' headings and their "
        "defining paragraphs. Published unless --draft; a rerun creates nothing new. "
        "Use -v 2 to see why each skipped section was skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("course", metavar="SLUG", help="Slug of the course.")
        parser.add_argument("--chapter", help="Slug of one chapter (default: every chapter).")
        parser.add_argument(
            "--draft",
            action="store_true",
            help="Create the questions as drafts, for review in the admin before learners see "
            "them (filter the question list by origin 'Generated' and status 'Draft').",
        )

    def handle(self, *args, course: str, chapter: str | None, draft: bool, **options):
        course_obj, chapter_obj = course_and_chapter(course, chapter)
        status = Question.Status.DRAFT if draft else Question.Status.PUBLISHED
        report = questions_generate(course=course_obj, chapter=chapter_obj, status=status)

        verbose = options["verbosity"] >= 2
        for result in report.chapters:
            line = (
                f"  {result.chapter}: {len(result.created)} created, "
                f"{result.existing} already existed, {len(result.skipped)} skipped"
            )
            exercise = next((q for q in result.created if q.chapter_id is not None), None)
            if exercise is not None:
                line += " (the first is the chapter's exercise)"
            self.stdout.write(line)
            if verbose:
                for question in result.created:
                    self.stdout.write(f"      + {question.stem_markdown}")
                for skip in result.skipped:
                    self.stdout.write(f"      skipped '{skip.heading}': {skip.reason}")
        kind = "draft questions" if draft else "questions"
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {len(report.created)} {kind} for '{course_obj.slug}' "
                f"({report.existing} already existed, {len(report.skipped)} sections skipped)"
            )
        )

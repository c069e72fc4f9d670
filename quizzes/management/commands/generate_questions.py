from django.core.management.base import BaseCommand, CommandError

from quizzes.management.lookup import course_and_chapter
from quizzes.models import Question
from quizzes.services import questions_generate
from quizzes.textgen import KINDS


class Command(BaseCommand):
    help = (
        "Generate quiz items from each chapter's defining passages (headings at any level, "
        "bold-term lists, 'Term: definition' runs, question headings): single choice, "
        "matching, missing word and true/false. Published unless --draft; a rerun creates "
        "nothing new. Use -v 2 to see each item made as well."
    )

    def add_arguments(self, parser):
        parser.add_argument("course", metavar="SLUG", help="Slug of the course.")
        parser.add_argument("--chapter", help="Slug of one chapter (default: every chapter).")
        parser.add_argument(
            "--kinds",
            default=",".join(KINDS),
            help=f"Comma-separated kinds to make (default: all of {','.join(KINDS)}).",
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help="Create the items as drafts, for review in the admin before learners see "
            "them (Questions > Review generated drafts).",
        )

    def handle(self, *args, course: str, chapter: str | None, kinds: str, draft: bool, **options):
        course_obj, chapter_obj = course_and_chapter(course, chapter)
        chosen = tuple(kind.strip() for kind in kinds.split(",") if kind.strip())
        unknown = sorted(set(chosen) - set(KINDS))
        if unknown or not chosen:
            raise CommandError(
                f"--kinds: unknown {', '.join(unknown) or '(none given)'}; "
                f"choose from {', '.join(KINDS)}"
            )
        status = Question.Status.DRAFT if draft else Question.Status.PUBLISHED
        report = questions_generate(
            course=course_obj, chapter=chapter_obj, status=status, kinds=chosen
        )

        verbose = options["verbosity"] >= 2
        for result in report.chapters:
            per_kind = ", ".join(f"{result.made(kind)} {kind}" for kind in chosen)
            line = (
                f"  {result.chapter}: {result.sections} sections seen; made {per_kind}; "
                f"{result.existing} already existed, {len(result.skipped)} skipped"
            )
            exercise = next((q for q in result.created if q.chapter_id is not None), None)
            if exercise is not None:
                line += " (the best single choice is the chapter's exercise)"
            self.stdout.write(line)
            if result.nothing_because:
                self.stdout.write(f"      nothing recognised: {result.nothing_because}")
            for skip in result.skipped:
                self.stdout.write(f"      skipped '{skip.heading}': {skip.reason}")
            if verbose:
                for question in result.created:
                    self.stdout.write(f"      + [{question.qtype}] {question.stem_markdown}")
        noun = "draft items" if draft else "items"
        totals = ", ".join(
            f"{sum(r.made(kind) for r in report.chapters)} {kind}" for kind in chosen
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {len(report.created)} {noun} for '{course_obj.slug}' ({totals}; "
                f"{report.existing} already existed, {len(report.skipped)} sections skipped)"
            )
        )

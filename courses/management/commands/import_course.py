from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.services import ArticleError, ChapterResult, course_import


class Command(BaseCommand):
    help = (
        "Create or update a course from a folder of articles (.md or scraped .txt), "
        "one chapter per file in file-name order. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="folder holding the articles")
        parser.add_argument("--slug", help="course slug (default: from the folder name)")
        parser.add_argument("--title", help="course title (default: from the folder name)")
        parser.add_argument(
            "--remove-missing",
            action="store_true",
            help="remove chapters whose file is gone even where learners have progress "
            "(without it such an import is refused and lists what would be lost)",
        )

    def handle(
        self,
        *args,
        path: Path,
        slug: str | None,
        title: str | None,
        remove_missing: bool,
        **options,
    ):
        def show(result: ChapterResult) -> None:
            chapter = result.chapter
            unit = "minute" if chapter.reading_minutes == 1 else "minutes"
            self.stdout.write(
                f"{chapter.position:>4}. {chapter.title} — {chapter.word_count} words, "
                f"{chapter.reading_minutes} {unit} ({result.status})"
            )

        try:
            report = course_import(
                path=path, slug=slug, title=title, remove_missing=remove_missing, on_chapter=show
            )
        except ArticleError as error:
            raise CommandError(f"{error}. Nothing was imported.") from error
        for removed in report.removed_chapters:
            self.stdout.write(f"   - removed {removed.describe()}")
        for note in report.notes:
            self.stdout.write(f"   - {note}")
        self.stdout.write(self.style.SUCCESS(report.summary))

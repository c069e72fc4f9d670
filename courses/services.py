"""Writing courses: importing a folder of articles and exporting a course back to one.

Views, the admin and the ``import_course``/``export_course`` commands all call these.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from core.markdown import MarkdownError
from core.textfiles import TextFileError, read_text_file

from .cleaning import clean_article
from .models import Chapter, Course
from .signals import chapters_removal_impact, chapters_rewritten

ARTICLE_SUFFIXES = (".md", ".txt")
# Paths under a course that are pages of their own, never chapter slugs.
RESERVED_SLUGS = ("exam", "start")
# Moves positions out of the way while chapters are renumbered (unique per course).
_POSITION_SHIFT = 1_000_000


class ArticleError(Exception):
    """An article that cannot become a chapter; the message names the file (and line)."""


@dataclass(frozen=True)
class RemovedChapter:
    """A chapter whose file is gone from the folder, and what removing it would take."""

    chapter: Chapter
    learners: int  # learners with progress on it (lost with the chapter)
    attempts: int  # attempts on its questions (kept, the questions lose their chapter)

    def describe(self) -> str:
        text = f"chapter {self.chapter.position} '{self.chapter.title}'"
        if self.chapter.source_name:
            text += f" ({self.chapter.source_name})"
        return (
            f"{text}: progress of {self.learners} learner{'s' if self.learners != 1 else ''}, "
            f"{self.attempts} attempt{'s' if self.attempts != 1 else ''} on its questions"
        )


class ChapterRemovalRefused(ArticleError):
    """Files are missing whose chapters hold learners' progress; nothing was written."""

    def __init__(self, at_stake: list[RemovedChapter]):
        self.at_stake = at_stake
        lost = "; ".join(item.describe() for item in at_stake)
        super().__init__(
            f"files are missing for chapters with learners' progress, which removing them "
            f"would delete: {lost}. Put the files back, or confirm the removal "
            "(--remove-missing; in the admin, tick 'Remove missing chapters')"
        )


@dataclass(frozen=True)
class Article:
    source: Path
    title: str
    markdown: str


@dataclass(frozen=True)
class ChapterResult:
    chapter: Chapter
    status: str  # "created", "updated" or "unchanged"


@dataclass
class CourseImportReport:
    course: Course
    course_created: bool
    chapters: list[ChapterResult] = field(default_factory=list)
    removed: int = 0
    removed_chapters: list[RemovedChapter] = field(default_factory=list)
    # What other apps did because chapters' text changed (courses.signals.chapters_rewritten).
    notes: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for result in self.chapters if result.status == status)

    @property
    def summary(self) -> str:
        return (
            f"Imported course '{self.course.slug}': {len(self.chapters)} chapters "
            f"({self.count('created')} created, {self.count('updated')} updated, "
            f"{self.count('unchanged')} unchanged, {self.removed} removed)"
        )


def article_read(path: Path) -> Article:
    """One article file as a title and Markdown body, or an ArticleError saying why not."""
    try:
        text = read_text_file(path)
    except TextFileError as error:
        raise ArticleError(str(error)) from None
    if path.suffix.lower() == ".md":
        title, markdown = _markdown_parts(path, text)
    else:
        cleaned = clean_article(text)
        if not cleaned.markdown.strip():
            raise ArticleError(
                f"{path}: no article text is left once the scraped boilerplate "
                "(store badges, adverts, exercise blocks) is removed"
            )
        title, markdown = cleaned.title, cleaned.markdown
    if not title:
        raise ArticleError(f"{path}: no title (front matter 'title:', a '#' heading or a line)")
    if not markdown.strip():
        raise ArticleError(f"{path}: no text besides the title")
    return Article(source=path, title=title[:200], markdown=markdown)


def _front_matter(path: Path, lines: list[str], end: int) -> dict:
    """The YAML between the opening and closing ``---``, as static-site generators write it."""
    try:
        data = yaml.safe_load("\n".join(lines[1:end])) if end > 1 else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" line {mark.line + 2}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise ArticleError(f"{path}{line}: front matter is not valid YAML ({problem})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ArticleError(f"{path} line 2: front matter must be 'key: value' lines (a mapping)")
    return data


def _markdown_parts(path: Path, text: str) -> tuple[str, str]:
    lines = text.replace("\r\n", "\n").split("\n")
    title = ""
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            raise ArticleError(f"{path} line 1: front matter opened with '---' is never closed")
        value = _front_matter(path, lines, end).get("title")
        if value is not None and not isinstance(value, str | int | float):
            raise ArticleError(f"{path} line 2: the front matter 'title' must be text")
        title = " ".join(str(value).split()) if value is not None else ""
        lines = lines[end + 1 :]
    if not title:
        for index, line in enumerate(lines):
            if line.strip():
                title = re.sub(r"^#\s+", "", line.strip()).strip()
                del lines[index]
                break
    else:
        # A "# Title" repeating the front matter title is not body text.
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is not None and lines[first].strip() == f"# {title}":
            del lines[first]
    return title, "\n".join(lines).strip() + "\n"


def articles_read(path: Path) -> list[Article]:
    """Every article of a folder, in file-name order; refuses the folder on the first bad one."""
    if not path.exists():
        raise ArticleError(f"{path}: no such folder")
    if not path.is_dir():
        raise ArticleError(f"{path}: not a folder (give the folder that holds the articles)")
    files = sorted(
        (p for p in path.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES),
        key=lambda p: p.name,
    )
    if not files:
        raise ArticleError(f"{path}: no .md or .txt articles in this folder")
    return [article_read(file) for file in files]


def _unique_slug(title: str, taken: set[str]) -> str:
    base = (slugify(title)[:90] or "chapter").strip("-")
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _rendered(article: Article) -> Chapter:
    """The article's chapter fields rendered, before any transaction (and its write lock)."""
    chapter = Chapter(title=article.title, body_markdown=article.markdown)
    try:
        chapter.refresh_derived()
    except MarkdownError as error:
        where = f" line {error.line}" if error.line else ""
        raise ArticleError(f"{article.source}{where}: {error}") from None
    return chapter


def _removal_impact(chapters: list[Chapter]) -> list[RemovedChapter]:
    """What deleting these chapters would take from learners, as the apps that keep
    learners' data answer (courses.signals.chapters_removal_impact)."""
    totals: dict[int, dict[str, int]] = {chapter.pk: {} for chapter in chapters}
    if chapters:
        for _, answer in chapters_removal_impact.send(sender=Chapter, chapter_ids=list(totals)):
            for chapter_id, counts in (answer or {}).items():
                for key, value in counts.items():
                    totals[chapter_id][key] = totals[chapter_id].get(key, 0) + value
    return [
        RemovedChapter(
            chapter, totals[chapter.pk].get("learners", 0), totals[chapter.pk].get("attempts", 0)
        )
        for chapter in chapters
    ]


SETTINGS_FILE = "course.yaml"
# course.yaml keys -> Course fields (the exam keys sit under "exam:").
_SETTINGS = {
    "summary": "summary",
    "language": "language",
    "completion_rule": "completion_rule",
    "pass_mark_percent": "pass_mark_percent",
}
_EXAM_SETTINGS = {
    "enabled": "exam_enabled",
    "questions": "exam_questions",
    "pass_percent": "exam_pass_percent",
    "attempts_per_day": "exam_attempts_per_day",
    "cooldown_minutes": "exam_cooldown_minutes",
    "time_limit_minutes": "exam_time_limit_minutes",
    "opens": "exam_opens",
    "small_bank_accepted": "exam_small_bank_accepted",
}


def course_settings_read(path: Path) -> dict:
    """Course fields from the folder's optional course.yaml; ArticleError naming the line."""
    file = Path(path) / SETTINGS_FILE
    if not file.exists():
        return {}
    try:
        data = yaml.safe_load(read_text_file(file)) or {}
    except TextFileError as error:
        raise ArticleError(str(error)) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise ArticleError(f"{file}{line}: not valid YAML") from None
    if not isinstance(data, dict):
        raise ArticleError(f"{file} line 1: expected 'key: value' settings")
    fields: dict = {}
    exam = data.pop("exam", None) or {}
    data.pop("title", None)  # the title is the command's or the admin's to give
    for source, mapping, where in ((data, _SETTINGS, ""), (exam, _EXAM_SETTINGS, "exam.")):
        if not isinstance(source, dict):
            raise ArticleError(f"{file}: '{where.rstrip('.')}' must be 'key: value' settings")
        for key, value in source.items():
            if key not in mapping:
                known = ", ".join(where + k for k in mapping)
                raise ArticleError(f"{file}: unknown setting '{where}{key}' (known: {known})")
            fields[mapping[key]] = value
    probe = Course(**{**{"title": "x", "slug": "x"}, **fields})
    try:
        probe.full_clean(exclude=["title", "slug"], validate_unique=False)
    except ValidationError as error:
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
        raise ArticleError(f"{file}: {problems}") from None
    return fields


def course_import(
    *,
    path: Path,
    slug: str | None = None,
    title: str | None = None,
    remove_missing: bool = False,
    on_chapter: Callable[[ChapterResult], None] | None = None,
    on_rendered: Callable[[int, int], None] | None = None,
) -> CourseImportReport:
    """Create or update a course from a folder of articles, all or nothing.

    Files are read, cleaned and rendered first, outside any transaction; the writes then
    take one short transaction, so learners answering meanwhile wait milliseconds, not the
    length of the import. A chapter keeps its identity (and learners' progress) across
    re-imports through the file it came from. A chapter whose file is gone is removed only
    if no learner has progress there, or with ``remove_missing`` (docs/decisions/0007):
    otherwise ChapterRemovalRefused says what would be lost and nothing is written.
    ``on_rendered(done, total)`` follows the slow part, reading and rendering, file by file.
    """
    path = Path(path)
    articles = articles_read(path)
    settings_fields = course_settings_read(path)
    rendered = []
    for article in articles:
        rendered.append(_rendered(article))
        if on_rendered is not None:
            on_rendered(len(rendered), len(articles))
    slug = slug or slugify(path.resolve().name)
    if not slug:
        raise ArticleError(f"{path}: cannot make a course slug from the folder name; pass --slug")
    with transaction.atomic():
        report = _course_write(
            path=path,
            slug=slug,
            title=title,
            articles=articles,
            rendered=rendered,
            remove_missing=remove_missing,
            on_chapter=on_chapter,
        )
        if settings_fields:
            Course.objects.filter(pk=report.course.pk).update(**settings_fields)
            report.course.refresh_from_db()
    return report


def _course_write(
    *, path, slug, title, articles, rendered, remove_missing, on_chapter
) -> CourseImportReport:
    course, created = Course.objects.get_or_create(
        slug=slug, defaults={"title": title or _humanise(path.resolve().name)}
    )
    if title and course.title != title:
        course.title = title
        course.save(update_fields=["title", "updated_at"])
    report = CourseImportReport(course=course, course_created=created)

    existing = {chapter.source_name or chapter.slug: chapter for chapter in course.chapters.all()}
    wanted = {article.source.name for article in articles}
    gone = [chapter for key, chapter in existing.items() if key not in wanted]
    report.removed_chapters = _removal_impact(gone)
    at_stake = [item for item in report.removed_chapters if item.learners]
    if at_stake and not remove_missing:
        raise ChapterRemovalRefused(at_stake)
    report.removed = (
        Chapter.objects.filter(pk__in=[c.pk for c in gone]).delete()[1].get("courses.Chapter", 0)
    )
    course.chapters.update(position=F("position") + _POSITION_SHIFT)

    taken: set[str] = set(RESERVED_SLUGS)
    for position, (article, fields) in enumerate(zip(articles, rendered, strict=True), start=1):
        chapter = existing.get(article.source.name)
        new_slug = _unique_slug(article.title, taken)
        if chapter is None:
            chapter = Chapter(course=course, source_name=article.source.name)
            status = "created"
        elif (chapter.title, chapter.body_markdown, chapter.slug, chapter.position) == (
            article.title,
            article.markdown,
            new_slug,
            position,  # the position loaded before the shift above
        ):
            status = "unchanged"
        else:
            status = "updated"
        chapter.position = position
        chapter.title = article.title
        chapter.slug = new_slug
        if status == "unchanged":
            chapter.save(update_fields=["position"])
        else:
            chapter.body_markdown = article.markdown
            # Rendered before the transaction: save() keeps these instead of rendering again.
            chapter.body_html = fields.body_html
            chapter.word_count = fields.word_count
            chapter.reading_minutes = fields.reading_minutes
            chapter._rendered_from = fields._rendered_from
            chapter.save()
        result = ChapterResult(chapter=chapter, status=status)
        report.chapters.append(result)
        if on_chapter is not None:
            on_chapter(result)
    rewritten = [r.chapter.pk for r in report.chapters if r.status == "updated"]
    if rewritten:
        for _, notes in chapters_rewritten.send(sender=Chapter, chapter_ids=rewritten):
            report.notes.extend(notes or [])
    return report


def _humanise(name: str) -> str:
    words = re.sub(r"[-_]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else "Untitled course"


def course_export(*, course: Course, directory: Path) -> list[Path]:
    """Write each chapter as ``NN-slug.md`` with its title in front matter."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    chapters = list(course.chapters.order_by("position"))
    width = max(2, len(str(len(chapters))))
    written = []
    for chapter in chapters:
        target = directory / f"{chapter.position:0{width}d}-{chapter.slug}.md"
        title = json.dumps(chapter.title, ensure_ascii=False)
        body = chapter.body_markdown.strip() + "\n"
        target.write_text(f"---\ntitle: {title}\n---\n\n{body}", encoding="utf-8")
        written.append(target)
    return written

"""Reads that pages need, each a fixed number of queries whatever the course size."""

from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.pagecache import cached_content

from .models import Chapter, Course


def catalogue_courses(*, language: str = "", query: str = "") -> list[Course]:
    """Published courses, in one language when one is given, whose title or summary holds
    every word of ``query`` when one is given."""
    courses = Course.objects.filter(published=True)
    if language:
        courses = courses.filter(language=language)
    for word in query.split()[:8]:
        courses = courses.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    return list(
        courses.annotate(
            chapter_count=Count("chapters"),
            total_minutes=Coalesce(Sum("chapters__reading_minutes"), 0),
        ).order_by("title")
    )


def course_get(*, slug: str) -> Course:
    return get_object_or_404(
        Course.objects.annotate(total_minutes=Coalesce(Sum("chapters__reading_minutes"), 0)),
        slug=slug,
        published=True,
    )


def course_get_unannotated(*, slug: str) -> Course:
    """The published course alone: for pages that take its totals from cached content."""
    return get_object_or_404(Course, slug=slug, published=True)


def course_chapters(*, course: Course) -> list[Chapter]:
    return list(
        course.chapters.only(
            "id", "course_id", "position", "title", "slug", "reading_minutes"
        ).order_by("position")
    )


@dataclass(frozen=True)
class ChapterPage:
    chapter: Chapter
    previous: Chapter | None
    next: Chapter | None
    total: int
    # Reading minutes from this chapter to the end of the course, this one included.
    minutes_left: int = 0

    @cached_property
    def url(self) -> str:
        """The chapter's address, reversed once per process and content version (the page
        is kept in the process for that version; a new slug is a new version)."""
        return self.chapter.get_absolute_url()


def chapter_page(*, course_slug: str, chapter_slug: str) -> ChapterPage:
    """The chapter with its course, neighbours and page count; the same for every reader."""
    page = cached_content(
        f"chapter-page:{course_slug}:{chapter_slug}",
        lambda: _chapter_page(course_slug=course_slug, chapter_slug=chapter_slug) or False,
    )
    if not page:
        raise Http404("No such chapter.")
    return page


def _chapter_page(*, course_slug: str, chapter_slug: str) -> ChapterPage | None:
    chapter = (
        Chapter.objects.select_related("course")
        .filter(course__slug=course_slug, course__published=True, slug=chapter_slug)
        .first()
    )
    if chapter is None:
        return None
    neighbours = {
        c.position: c
        for c in Chapter.objects.filter(
            Q(position=chapter.position - 1) | Q(position=chapter.position + 1),
            course_id=chapter.course_id,
        ).only("id", "course_id", "position", "title", "slug", "reading_minutes")
    }
    counts = chapter.course.chapters.aggregate(
        total=Count("id"),
        minutes_left=Coalesce(Sum("reading_minutes", filter=Q(position__gte=chapter.position)), 0),
    )
    for neighbour in neighbours.values():
        neighbour.course = chapter.course
    return ChapterPage(
        chapter=chapter,
        previous=neighbours.get(chapter.position - 1),
        next=neighbours.get(chapter.position + 1),
        total=counts["total"],
        minutes_left=counts["minutes_left"],
    )


def chapter_urls(*, chapter_ids: list[int]) -> dict[int, str]:
    """Links to several chapters in one query (for "Continue" buttons)."""
    return {
        chapter.pk: chapter.get_absolute_url()
        for chapter in Chapter.objects.filter(pk__in=chapter_ids).select_related("course")
    }


def course_chapter_ids(*, course_id: int) -> list[int]:
    """The course's chapter ids in reading order, the same for every learner (content cache)."""
    return cached_content(
        f"chapter-ids:{course_id}",
        lambda: list(
            Chapter.objects.filter(course_id=course_id)
            .order_by("position")
            .values_list("id", flat=True)
        ),
    )


def catalogue_languages() -> list[str]:
    """The languages published courses are written in (codes, in settings order)."""
    used = set(Course.objects.filter(published=True).values_list("language", flat=True).distinct())
    return [code for code, _ in settings.LANGUAGES if code in used]

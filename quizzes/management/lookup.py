"""What the question commands share: finding the course and chapter an admin named."""

from django.core.management.base import CommandError

from courses.models import Chapter, Course


def course_and_chapter(course_slug: str, chapter_slug: str | None) -> tuple[Course, Chapter | None]:
    """The course (and chapter, when given) by slug, or a one-line CommandError."""
    course = Course.objects.filter(slug=course_slug).first()
    if course is None:
        raise CommandError(f"no course with slug '{course_slug}'")
    if not chapter_slug:
        return course, None
    chapter = course.chapters.filter(slug=chapter_slug).first()
    if chapter is None:
        raise CommandError(f"course '{course_slug}' has no chapter '{chapter_slug}'")
    return course, chapter

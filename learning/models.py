"""A learner's standing in courses: enrolment and what was done with each chapter.

The tables keep the names they had when these models lived in ``courses``
(docs/decisions/0008-one-way-architecture.md): the move changed no data.
"""

from django.conf import settings
from django.db import models

from courses.models import Chapter, Course


class Enrollment(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "courses_enrollment"
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course"], name="one_enrollment_per_learner_and_course"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} in {self.course}"


class ChapterProgress(models.Model):
    """What one learner has done with one chapter: read it, passed its exercise."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="progress")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="progress")
    read_at = models.DateTimeField(null=True, blank=True)
    passed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "courses_chapterprogress"
        verbose_name_plural = "chapter progress"
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "chapter"], name="one_progress_per_enrollment_and_chapter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment}: {self.chapter}"

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
    # Indexed by progress_chapter_moments below, which starts with it.
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="progress", db_index=False
    )
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
        indexes = [
            # The course report's funnel counts a chapter's rows, reads and passes from the
            # index alone (16 ms instead of 70 ms for 105,000 rows; bench/RESULTS.md).
            models.Index(
                fields=["chapter", "read_at", "passed_at"], name="progress_chapter_moments"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment}: {self.chapter}"


class ExamAttempt(models.Model):
    """One sitting of a course's final exam: its draw, deadline, answers' grade."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_attempts"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="exam_attempts")
    # The draw: question ids in the order shown; the seed orders each question's options.
    seed = models.CharField(max_length=32)
    question_ids = models.JSONField(default=list)
    started_at = models.DateTimeField(db_index=True)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    pass_percent = models.PositiveSmallIntegerField()
    score = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    passed = models.BooleanField(null=True)
    late = models.BooleanField(default=False)
    missed_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # At most one open attempt per learner and course: two tabs pressing "Start"
            # at once get the same attempt.
            models.UniqueConstraint(
                fields=["learner", "course"],
                condition=models.Q(submitted_at__isnull=True),
                name="one_open_exam_attempt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} – {self.course} exam ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def score_percent(self) -> int | None:
        # Rounded down, so a shown score equal to the pass mark has passed.
        return None if self.score is None else int(self.score * 100)


class ExamGrant(models.Model):
    """An extra exam attempt an admin granted, with who and why."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_grants"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="exam_grants")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="exam_grants_given",
    )
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Extra attempt for {self.learner} in {self.course}"


class ReviewCard(models.Model):
    """One question a learner will meet again, scheduled by FSRS (py-fsrs; issue 27).

    Made for every exercise question the learner answered wrong at the first try, and for the
    chapter exercises they got right at once; ``card`` is py-fsrs's own state (``Card.to_dict``),
    ``due`` its due date, kept apart so that "due today" is an indexed read."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards"
    )
    question = models.ForeignKey(
        "quizzes.Question", on_delete=models.CASCADE, related_name="review_cards"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="review_cards")
    card = models.JSONField()
    due = models.DateTimeField()
    first_try_right = models.BooleanField()
    reviews = models.PositiveIntegerField(default=0)
    reviews_right = models.PositiveIntegerField(default=0)
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    last_right = models.BooleanField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "question"], name="one_review_card_per_question"
            ),
        ]
        indexes = [models.Index(fields=["learner", "due"], name="review_card_due")]

    def __str__(self) -> str:
        return f"{self.learner}: question {self.question_id}, due {self.due:%Y-%m-%d}"

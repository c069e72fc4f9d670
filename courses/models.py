from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.markdown import MarkdownError, reading_minutes, render_markdown, word_count


class Course(models.Model):
    class CompletionRule(models.TextChoices):
        ALL_PASSED = "all_passed", "Every chapter read and every exercise passed"
        PASS_MARK = "pass_mark", "Every chapter read and a pass mark on first tries"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField(blank=True)
    published = models.BooleanField(default=True)
    completion_rule = models.CharField(
        max_length=20, choices=CompletionRule.choices, default=CompletionRule.ALL_PASSED
    )
    pass_mark_percent = models.PositiveSmallIntegerField(
        default=70,
        help_text="With the pass-mark rule: share of exercises answered right on the first try.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark_percent__lte=100), name="course_pass_mark_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:overview", kwargs={"course_slug": self.slug})


class Chapter(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField(help_text="1 for the first page of the course.")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100)
    body_markdown = models.TextField()
    # Derived at save so that a page view never renders Markdown or counts words.
    body_html = models.TextField(editable=False, default="")
    word_count = models.PositiveIntegerField(editable=False, default=0)
    reading_minutes = models.PositiveIntegerField(editable=False, default=1)
    # The article file a chapter was imported from: its identity when the folder is re-imported.
    source_name = models.CharField(max_length=255, blank=True, editable=False)

    class Meta:
        ordering = ["course", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "slug"], name="chapter_slug_unique_in_course"
            ),
            models.UniqueConstraint(
                fields=["course", "position"], name="chapter_position_unique_in_course"
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="chapter_position_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    def save(self, *args, **kwargs):
        if getattr(self, "_rendered_from", None) != self.body_markdown:
            self.refresh_derived()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body_markdown" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html", "word_count", "reading_minutes"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "courses:chapter",
            kwargs={"course_slug": self.course.slug, "chapter_slug": self.slug},
        )

    def clean(self) -> None:
        super().clean()
        try:
            self.refresh_derived()
        except MarkdownError as error:
            where = f"line {error.line}: " if error.line else ""
            raise ValidationError({"body_markdown": f"{where}{error}"}) from None

    def refresh_derived(self) -> None:
        """Render once; importers call this before their write transaction and save() then
        keeps the result instead of rendering again while holding the write lock."""
        self.body_html = render_markdown(self.body_markdown)
        self.word_count = word_count(self.body_markdown)
        self.reading_minutes = reading_minutes(self.word_count)
        self._rendered_from = self.body_markdown


class Enrollment(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
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
        verbose_name_plural = "chapter progress"
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "chapter"], name="one_progress_per_enrollment_and_chapter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment}: {self.chapter}"

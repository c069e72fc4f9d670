import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.markdown import MarkdownError, render_inline_markdown, render_markdown
from core.pagecache import ContentManager
from courses.models import Chapter, Course

# Where a missing-word question's answer goes inside its stem.
BLANK = "_____"


def new_choice_key() -> str:
    """An opaque value for a choice in a form: it says nothing about order or correctness."""
    return secrets.token_urlsafe(9)


def _check_renders(instance) -> None:
    """Model validation (admin forms): Markdown that cannot be rendered is a field error."""
    try:
        instance.refresh_derived()
    except MarkdownError as error:
        where = f"line {error.line}: " if error.line else ""
        raise ValidationError(f"{where}{error}") from None


class Question(models.Model):
    class Type(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple response")
        TRUE_FALSE = "truefalse", _("True/false")
        SHORT_ANSWER = "shortanswer", _("Short answer")
        NUMERICAL = "numerical", _("Numerical")
        MATCHING = "matching", _("Matching")
        MISSING_WORD = "missingword", _("Missing word")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Origin(models.TextChoices):
        WRITTEN = "written", _("Written")
        IMPORTED = "imported", _("Imported")
        GENERATED = "generated", _("Generated")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    chapter = models.ForeignKey(
        Chapter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        help_text=_("Set to make this question the chapter's exercise."),
    )
    name = models.CharField(max_length=255, blank=True)
    category = models.CharField(max_length=255, blank=True)
    qtype = models.CharField(_("type"), max_length=20, choices=Type.choices)
    stem_markdown = models.TextField(_("stem"))
    stem_html = models.TextField(editable=False, default="")
    general_feedback = models.TextField(blank=True)
    general_feedback_html = models.TextField(editable=False, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.WRITTEN)
    position = models.PositiveIntegerField(default=0)
    # Set by the generator so that running it twice creates nothing new.
    source_key = models.CharField(max_length=64, blank=True, default="")
    # Where a generated item comes from: the chapter, the term, the passage's heading id (a
    # link after a wrong answer) and a digest of the passage (a changed passage sends the
    # item back to draft when the article is imported again).
    source_chapter = models.ForeignKey(
        Chapter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="generated_questions",
        editable=False,
    )
    source_term = models.CharField(max_length=200, blank=True, default="", editable=False)
    source_anchor = models.CharField(max_length=120, blank=True, default="", editable=False)
    source_digest = models.CharField(max_length=40, blank=True, default="", editable=False)
    # Why a published item went back to review (learners' answers or reports; empty when
    # an editor moved it by hand).
    review_reason = models.CharField(max_length=200, blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContentManager()

    class Meta:
        ordering = ["course_id", "position", "pk"]  # the column: no join to courses_course
        constraints = [
            models.UniqueConstraint(
                fields=["course", "source_key"],
                condition=~Q(source_key=""),
                name="generated_question_unique_in_course",
            ),
        ]
        indexes = [models.Index(fields=["chapter", "status"])]

    def __str__(self) -> str:
        return self.name or self.stem_markdown[:60]

    def save(self, *args, **kwargs):
        self.refresh_derived()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        _check_renders(self)

    def refresh_derived(self) -> None:
        """Render the Markdown fields; bulk imports call this since bulk_create skips save()."""
        self.stem_html = render_markdown(self.stem_markdown)
        self.general_feedback_html = render_markdown(self.general_feedback)


class Choice(models.Model):
    """One answer of a question, whatever its type.

    - single, multiple, missing word, true/false: ``text`` and ``fraction``.
    - short answer: ``text`` is an accepted answer (``*`` is a wildcard).
    - numerical: ``value`` and ``tolerance`` (a min..max range is stored as its
      midpoint and half-width, as Moodle does).
    - matching: ``text`` is the sub-question, ``match_text`` its answer; an
      empty ``text`` makes ``match_text`` a distractor.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(default=0)
    key = models.CharField(max_length=16, unique=True, default=new_choice_key, editable=False)
    text = models.TextField(blank=True)
    text_html = models.TextField(editable=False, default="")
    fraction = models.DecimalField(max_digits=9, decimal_places=7, default=0)
    feedback = models.TextField(blank=True)
    feedback_html = models.TextField(editable=False, default="")
    match_text = models.CharField(max_length=255, blank=True)
    value = models.FloatField(null=True, blank=True)
    tolerance = models.FloatField(null=True, blank=True)

    objects = ContentManager()

    class Meta:
        ordering = ["question_id", "position", "pk"]  # the column: no join to the question
        constraints = [
            models.CheckConstraint(
                condition=Q(fraction__gte=-1) & Q(fraction__lte=1), name="choice_fraction_in_range"
            ),
        ]

    def __str__(self) -> str:
        return self.text or self.match_text or str(self.value)

    def save(self, *args, **kwargs):
        self.refresh_derived()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        _check_renders(self)

    def refresh_derived(self) -> None:
        self.text_html = render_inline_markdown(self.text) if self.text else ""
        self.feedback_html = render_markdown(self.feedback) if self.feedback else ""


class Attempt(models.Model):
    """One submission of an answer, kept whatever its score."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="attempts")

    class Context(models.TextChoices):
        EXERCISE = "exercise", _("Chapter exercise")
        EXAM = "exam", _("Final exam")

    response = models.JSONField(default=dict)
    score = models.DecimalField(max_digits=8, decimal_places=7)
    correct = models.BooleanField()
    # Where the answer was given; exam answers count in question statistics, never towards
    # passing a chapter's exercise. ``context_key`` groups one exam attempt's answers.
    context = models.CharField(
        max_length=10, choices=Context.choices, default=Context.EXERCISE, db_index=True
    )
    context_key = models.CharField(max_length=40, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["learner", "question", "created_at"]),
            # "Which of these questions has the learner answered right (in exercises)?": the
            # index answers it without reading the learner's wrong tries.
            models.Index(
                fields=["learner", "context", "correct", "question"],
                name="attempt_right_answers",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="attempt_score_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} on {self.question}: {self.score}"


class QuestionReport(models.Model):
    """A learner's report that a question is faulty: one per learner and question, a reason
    from a fixed list (no free text, so nothing a learner writes is shown to anyone)."""

    class Reason(models.TextChoices):
        WRONG_KEY = "wrong_key", _("The answer marked right is wrong")
        TWO_ANSWERS = "two_answers", _("More than one answer is right")
        UNCLEAR = "unclear", _("The question is unclear or badly worded")
        OFF_TOPIC = "off_topic", _("The chapter does not teach this")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reports")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_reports"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "learner"], name="question_report_once_per_learner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} on {self.question}: {self.reason}"

"""Course reports for admins: who enrolled, who is active, who completed, where learners drop
off, how hard each exercise is on the first try, how the final exam scores spread.

Every figure is computed in the database with a fixed number of queries, whatever the number
of learners (asserted for 10,000 enrollments in tests/test_course_reports.py); rows fetched
are per chapter, per question or per score band, never per learner.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, IntegerField, Q
from django.db.models.functions import Cast, Floor
from django.utils import timezone

from courses.models import Course
from courses.selectors import course_chapters
from quizzes.models import Attempt, Question
from quizzes.reports import first_try_counts

from .models import ChapterProgress, Enrollment, ExamAttempt


@dataclass(frozen=True)
class FunnelRow:
    position: int
    title: str
    reached: int
    read: int
    passed: int | None  # None: the chapter has no exercise


@dataclass(frozen=True)
class ExerciseRow:
    question_id: int
    chapter: str
    stem: str
    learners: int
    first_try_right: int
    facility: float | None


@dataclass
class CourseReport:
    course: Course
    enrolled: int = 0
    active_7: int = 0
    active_30: int = 0
    completed: int = 0
    median_days_to_complete: float | None = None
    funnel: list[FunnelRow] = field(default_factory=list)
    exercises: list[ExerciseRow] = field(default_factory=list)
    # (lowest score of the band, attempts): 0-9, 10-19, ... 90-99, 100.
    exam_bands: list[tuple[int, int]] = field(default_factory=list)
    exam_attempts: int = 0

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.enrolled if self.enrolled else None


def _active(course: Course, since) -> int:
    """Learners who did anything in the course since then: enrolled, read or passed a
    chapter, answered a question. One query (a UNION counted in the database)."""
    started = Enrollment.objects.filter(course=course, started_at__gte=since).values("learner_id")
    progressed = (
        ChapterProgress.objects.filter(enrollment__course=course)
        .filter(Q(read_at__gte=since) | Q(passed_at__gte=since))
        .values("enrollment__learner_id")
    )
    answered = Attempt.objects.filter(question__course=course, created_at__gte=since).values(
        "learner_id"
    )
    return started.union(progressed, answered).count()


def _median_days(course: Course, completed: int) -> float | None:
    """The median time from start to completion, in days: the middle row (or the two middle
    rows) of the completed enrollments ordered by that time, one query."""
    if not completed:
        return None
    took = ExpressionWrapper(F("completed_at") - F("started_at"), output_field=DurationField())
    ordered = (
        Enrollment.objects.filter(course=course, completed_at__isnull=False)
        .annotate(took=took)
        .order_by("took")
        .values_list("took", flat=True)
    )
    middle = (completed - 1) // 2
    values = list(ordered[middle : middle + (1 if completed % 2 else 2)])
    return sum(value.total_seconds() for value in values) / len(values) / 86400


def _funnel(course: Course) -> list[FunnelRow]:
    counts = {
        row["chapter_id"]: row
        for row in ChapterProgress.objects.filter(enrollment__course=course)
        .values("chapter_id")
        .annotate(
            reached=Count("pk"),
            read=Count("pk", filter=Q(read_at__isnull=False)),
            passed=Count("pk", filter=Q(passed_at__isnull=False)),
        )
        .order_by()
    }
    with_exercise = set(
        Question.objects.filter(
            course=course, status=Question.Status.PUBLISHED, chapter__isnull=False
        ).values_list("chapter_id", flat=True)
    )
    rows = []
    for chapter in course_chapters(course=course):
        row = counts.get(chapter.pk, {})
        rows.append(
            FunnelRow(
                position=chapter.position,
                title=chapter.title,
                reached=row.get("reached", 0),
                read=row.get("read", 0),
                passed=row.get("passed", 0) if chapter.pk in with_exercise else None,
            )
        )
    return rows


def _exercises(course: Course) -> list[ExerciseRow]:
    """Per published exercise question: learners who answered it in a chapter exercise, and
    how many of them were right on their first try (quizzes.reports.first_try_counts)."""
    questions = list(
        Question.objects.filter(
            course=course, status=Question.Status.PUBLISHED, chapter__isnull=False
        )
        .select_related("chapter")
        .order_by("chapter__position", "position", "pk")
    )
    counts = first_try_counts(question_ids=[question.pk for question in questions])
    rows = []
    for question in questions:
        learners, right = counts.get(question.pk, (0, 0))
        rows.append(
            ExerciseRow(
                question_id=question.pk,
                chapter=question.chapter.title,
                stem=question.stem_markdown,
                learners=learners,
                first_try_right=right,
                facility=right / learners if learners else None,
            )
        )
    return rows


def _exam_bands(course: Course) -> tuple[list[tuple[int, int]], int]:
    band = Cast(Floor(F("score") * 10), IntegerField())
    counts = dict(
        ExamAttempt.objects.filter(course=course, submitted_at__isnull=False, score__isnull=False)
        .annotate(band=band)
        .values("band")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("band", "n")
    )
    bands = [(low * 10, counts.get(low, 0)) for low in range(11)]
    return bands, sum(counts.values())


def course_report(*, course: Course, now=None) -> CourseReport:
    """Every figure of the course's report page."""
    now = now or timezone.now()
    enrollments = Enrollment.objects.filter(course=course).aggregate(
        enrolled=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False))
    )
    report = CourseReport(
        course=course, enrolled=enrollments["enrolled"], completed=enrollments["completed"]
    )
    report.active_7 = _active(course, now - timedelta(days=7))
    report.active_30 = _active(course, now - timedelta(days=30))
    report.median_days_to_complete = _median_days(course, report.completed)
    report.funnel = _funnel(course)
    report.exercises = _exercises(course)
    if course.exam_enabled:
        report.exam_bands, report.exam_attempts = _exam_bands(course)
    return report

"""Course reports for admins: who enrolled, who is active, who completed, where learners drop
off, how hard each exercise is on the first try, how the final exam scores spread.

Every figure is computed in the database with a fixed number of queries, whatever the number
of learners (asserted for 10,000 enrollments in tests/test_course_reports.py); rows fetched
are per chapter, per question or per score band, never per learner.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.db.models import Count, DurationField, ExpressionWrapper, F, IntegerField, Q
from django.db.models.functions import Cast, Floor
from django.utils import timezone

from courses.models import Course
from courses.selectors import course_chapters
from quizzes.models import Attempt, Question
from quizzes.reports import first_try_counts
from quizzes.selectors import course_exercise_chapters

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


def _active(course: Course, *, since_7, since_30) -> tuple[int, int]:
    """Learners who did anything in the course in the last 7 and 30 days: enrolled, read or
    passed a chapter, answered a question. One pass over the last 30 days' events: each
    learner's latest, counted in the database (UNION ALL, then GROUP BY learner). A progress
    row is read once for both its moments: 126 ms instead of 181 ms for 105,000 rows
    (bench/RESULTS.md, 2026-12-03)."""
    q = connection.ops.quote_name
    enrollment, progress = q(Enrollment._meta.db_table), q(ChapterProgress._meta.db_table)
    attempt, question = q(Attempt._meta.db_table), q(Question._meta.db_table)
    # Only quoted names are formatted in: values go as params.
    sql = (
        "SELECT COUNT(*), SUM(CASE WHEN last_at >= %s THEN 1 ELSE 0 END) FROM ("  # noqa: S608
        "SELECT learner_id, MAX(at) AS last_at FROM ("
        f"SELECT learner_id, started_at AS at FROM {enrollment} "
        "WHERE course_id = %s AND started_at >= %s "
        # A progress row once, with the later of its two moments (read, passed).
        "UNION ALL SELECT e.learner_id, CASE WHEN p.read_at IS NULL OR p.passed_at > p.read_at "
        f"THEN p.passed_at ELSE p.read_at END FROM {progress} AS p "
        f"JOIN {enrollment} AS e ON e.id = p.enrollment_id "
        "WHERE e.course_id = %s AND (p.read_at >= %s OR p.passed_at >= %s) "
        f"UNION ALL SELECT a.learner_id, a.created_at FROM {attempt} AS a "
        f"JOIN {question} AS qu ON qu.id = a.question_id "
        "WHERE qu.course_id = %s AND a.created_at >= %s"
        ") AS events GROUP BY learner_id) AS learners"
    )
    seven = connection.ops.adapt_datetimefield_value(since_7)
    thirty = connection.ops.adapt_datetimefield_value(since_30)
    params = [seven, course.pk, thirty, course.pk, thirty, thirty, course.pk, thirty]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        active_30, active_7 = cursor.fetchone()
    return active_7 or 0, active_30 or 0


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


def _funnel(course: Course, enrolled: int) -> list[FunnelRow]:
    counts = {
        row["chapter_id"]: row
        for row in ChapterProgress.objects.filter(enrollment__course=course)
        .values("chapter_id")
        .annotate(
            rows=Count("pk"),
            read=Count("pk", filter=Q(read_at__isnull=False)),
            passed=Count("pk", filter=Q(passed_at__isnull=False)),
        )
        .order_by()
    }
    with_exercise = course_exercise_chapters(course_id=course.pk)  # the content cache
    chapters = course_chapters(course=course)
    rows = []
    for index, chapter in enumerate(chapters):
        row = counts.get(chapter.pk, {})
        # Everyone enrolled reached the first chapter; a later one has a row from the moment
        # the learner got there with "Next page" (learning.progress.chapter_reach), read it or
        # answered its exercise.
        reached = enrolled if index == 0 else row.get("rows", 0)
        rows.append(
            FunnelRow(
                position=chapter.position,
                title=chapter.title,
                reached=reached,
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
    report.active_7, report.active_30 = _active(
        course, since_7=now - timedelta(days=7), since_30=now - timedelta(days=30)
    )
    report.median_days_to_complete = _median_days(course, report.completed)
    report.funnel = _funnel(course, report.enrolled)
    report.exercises = _exercises(course)
    if course.exam_enabled:
        report.exam_bands, report.exam_attempts = _exam_bands(course)
    return report

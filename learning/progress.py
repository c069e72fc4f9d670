"""Progress: enrolment, chapters read and exercises passed.

A chapter is *read* when the learner reaches its end or moves on to the next page, and
*passed* once every published question of its exercise has been answered right at least
once. Whether that completes the course is learning.completion's question, asked by the
views after these services ran.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from courses.models import Chapter, Course
from courses.selectors import course_chapter_ids
from quizzes.selectors import (
    course_exercise_chapters,
    exercise_chapter_ids,
    questions_answered_right,
)

from .models import ChapterProgress, Enrollment


@dataclass(frozen=True)
class ExerciseOutcome:
    chapter_passed: bool
    # Read or passed changed with this answer: only then can the course become complete
    # (or, under a pass mark, with any right answer).
    progress_changed: bool
    enrollment_id: int


@dataclass
class CourseProgress:
    """One learner's standing in one course, computed from a few flat queries."""

    course_id: int
    chapter_ids: list[int]
    exercise_chapter_ids: set[int]
    read_ids: set[int] = field(default_factory=set)
    passed_ids: set[int] = field(default_factory=set)
    enrolled: bool = False
    completed_at: object = None

    @property
    def total_units(self) -> int:
        return len(self.chapter_ids) + len(self.exercise_chapter_ids)

    @property
    def done_units(self) -> int:
        return len(self.read_ids & set(self.chapter_ids)) + len(
            self.passed_ids & self.exercise_chapter_ids
        )

    @property
    def percent(self) -> int:
        if not self.total_units:
            return 0
        return int(100 * self.done_units / self.total_units)

    @property
    def all_read(self) -> bool:
        return bool(self.chapter_ids) and set(self.chapter_ids) <= self.read_ids

    @property
    def all_passed(self) -> bool:
        return self.exercise_chapter_ids <= self.passed_ids

    def chapter_state(self, chapter_id: int) -> str:
        if chapter_id in self.passed_ids and chapter_id in self.exercise_chapter_ids:
            return "passed"
        if chapter_id in self.read_ids:
            return "read" if chapter_id in self.exercise_chapter_ids else "done"
        return "not_started"

    def is_finished(self, chapter_id: int) -> bool:
        if chapter_id not in self.read_ids:
            return False
        return chapter_id not in self.exercise_chapter_ids or chapter_id in self.passed_ids

    @property
    def first_unfinished_id(self) -> int | None:
        for chapter_id in self.chapter_ids:
            if not self.is_finished(chapter_id):
                return chapter_id
        return None


def progress_for_courses(
    *,
    learner,
    course_ids: list[int],
    chapters: dict[int, list[int]] | None = None,
    cached: bool = False,
) -> dict[int, CourseProgress]:
    """Progress of one learner in several courses, in four queries whatever their size.

    ``chapters`` (course id → chapter ids in order) saves a query when the page has them.
    """
    if chapters is None:
        chapters = {course_id: [] for course_id in course_ids}
        for course_id, chapter_id in (
            Chapter.objects.filter(course_id__in=course_ids)
            .order_by("course_id", "position")
            .values_list("course_id", "id")
        ):
            chapters[course_id].append(chapter_id)
    if cached:  # the course's shape from the content cache (the same for every learner)
        exercises = {c: set(course_exercise_chapters(course_id=c)) for c in course_ids}
    else:
        exercises = exercise_chapter_ids(course_ids=course_ids)
    result = {
        course_id: CourseProgress(course_id, chapters[course_id], exercises.get(course_id, set()))
        for course_id in course_ids
    }
    if learner is None or not learner.is_authenticated:
        return result
    for course_id, completed_at in Enrollment.objects.filter(
        learner=learner, course_id__in=course_ids
    ).values_list("course_id", "completed_at"):
        result[course_id].enrolled = True
        result[course_id].completed_at = completed_at
    for course_id, chapter_id, read_at, passed_at in ChapterProgress.objects.filter(
        enrollment__learner=learner, enrollment__course_id__in=course_ids
    ).values_list("enrollment__course_id", "chapter_id", "read_at", "passed_at"):
        if read_at:
            result[course_id].read_ids.add(chapter_id)
        if passed_at:
            result[course_id].passed_ids.add(chapter_id)
    return result


def course_progress(
    *, learner, course: Course, chapter_ids: list[int] | None = None, cached: bool = False
) -> CourseProgress:
    chapters = None if chapter_ids is None else {course.pk: chapter_ids}
    return progress_for_courses(
        learner=learner, course_ids=[course.pk], chapters=chapters, cached=cached
    )[course.pk]


def enrollment_progress(*, enrollment: Enrollment) -> CourseProgress:
    """One enrollment's standing: the course's shape from the content cache, the learner's
    progress rows in one query."""
    course_id = enrollment.course_id
    state = CourseProgress(
        course_id,
        course_chapter_ids(course_id=course_id),
        set(course_exercise_chapters(course_id=course_id)),
        enrolled=True,
        completed_at=enrollment.completed_at,
    )
    for chapter_id, read_at, passed_at in ChapterProgress.objects.filter(
        enrollment=enrollment
    ).values_list("chapter_id", "read_at", "passed_at"):
        if read_at:
            state.read_ids.add(chapter_id)
        if passed_at:
            state.passed_ids.add(chapter_id)
    return state


def _get_or_create(model, **fields):
    """Read first: on SQLite every transaction takes the write lock (IMMEDIATE), and nearly
    every call finds the row already there. Two first visits at the same moment are settled
    by the unique constraint: the loser reads the winner's row."""
    existing = model.objects.filter(**fields).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            row, _ = model.objects.get_or_create(**fields)
    except IntegrityError:
        row = model.objects.get(**fields)
    return row


def enrollment_start(*, learner, course: Course) -> Enrollment:
    """Idempotent: opening a course's first page again changes nothing."""
    return _get_or_create(Enrollment, learner=learner, course=course)


def enrolled_sql(*, learner_id: int, course_id: int) -> tuple[str, list]:
    """The SQL of "is the learner enrolled", on the unique (learner, course) index. Written
    out: the ORM's get cost 0.5 ms of a 1.3 ms first page, the query itself 20 µs (issue 14,
    docs/decisions/0010). Its plan is asserted on both databases."""
    table = connection.ops.quote_name(Enrollment._meta.db_table)
    # Only the quoted table name is formatted in: values go as params.
    return f"SELECT 1 FROM {table} WHERE learner_id = %s AND course_id = %s", [  # noqa: S608
        learner_id,
        course_id,
    ]


def enrollment_ensure(*, learner, course: Course) -> None:
    """What opening a course's first page does: enrol the learner unless already enrolled,
    in one short query when they are (nearly always)."""
    sql, params = enrolled_sql(learner_id=learner.pk, course_id=course.pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.fetchone() is not None:
            return
    enrollment_start(learner=learner, course=course)


@dataclass(frozen=True)
class ProgressRow:
    """What the answer and "page read" paths need of a learner's progress in a chapter."""

    enrollment_id: int
    row_id: int
    read: bool
    passed: bool


def progress_row_sql(*, learner_id: int, course_id: int, chapter_id: int) -> tuple[str, list]:
    """The SQL of "the learner's enrollment and progress row for a chapter", on the two
    unique indexes. Written out like ``enrolled_sql``: through the ORM (select_related, two
    model instances) it cost 0.5 ms of a 2.1 ms answer, the query itself 25 µs (issue 14).
    Its plan is asserted on both databases."""
    enrollments = connection.ops.quote_name(Enrollment._meta.db_table)
    rows = connection.ops.quote_name(ChapterProgress._meta.db_table)
    # Only the quoted table names are formatted in: values go as params.
    sql = (
        "SELECT e.id, p.id, p.read_at IS NOT NULL, p.passed_at IS NOT NULL "  # noqa: S608
        f"FROM {enrollments} e JOIN {rows} p ON p.enrollment_id = e.id AND p.chapter_id = %s "
        "WHERE e.learner_id = %s AND e.course_id = %s"
    )
    return sql, [chapter_id, learner_id, course_id]


def progress_row(*, learner, chapter: Chapter) -> ProgressRow:
    """The learner's enrollment and progress row for the chapter: one query when both exist
    (nearly always), created when they do not."""
    sql, params = progress_row_sql(
        learner_id=learner.pk, course_id=chapter.course_id, chapter_id=chapter.pk
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchone()
    if found is not None:
        enrollment_id, row_id, read, passed = found
        return ProgressRow(enrollment_id, row_id, bool(read), bool(passed))
    enrollment = enrollment_start(learner=learner, course=chapter.course)
    row = _get_or_create(ChapterProgress, enrollment=enrollment, chapter=chapter)
    return ProgressRow(enrollment.pk, row.pk, row.read_at is not None, row.passed_at is not None)


def progress_enrollment(*, learner, course: Course, enrollment_id: int) -> Enrollment:
    """The enrollment a progress read named, for the completion check; its learner and course
    are already at hand, so that check reads them without another query."""
    enrollment = Enrollment.objects.get(pk=enrollment_id)
    enrollment.learner, enrollment.course = learner, course
    return enrollment


def chapter_reach(*, learner, chapter: Chapter) -> None:
    """The learner moved on to this chapter with "Next page": its progress row exists from
    now on, unread, so the course report can say who reached it. (Opening a page records
    nothing: the chapter page stays a read.)"""
    progress_row(learner=learner, chapter=chapter)


def chapter_mark_read(*, learner, chapter: Chapter) -> Enrollment | None:
    """Record that the learner reached the chapter's end. The enrollment when this call
    marked it read (only then can the course become complete), else None."""
    row = progress_row(learner=learner, chapter=chapter)
    if row.read:
        return None
    changed = ChapterProgress.objects.filter(pk=row.row_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if not changed:
        return None
    return progress_enrollment(
        learner=learner, course=chapter.course, enrollment_id=row.enrollment_id
    )


def exercise_record(
    *, learner, chapter: Chapter, answered_right: bool, row: ProgressRow
) -> ExerciseOutcome:
    """After an answer to one of the chapter's published questions (already recorded);
    ``row`` is the learner's progress in the chapter (``progress_row``), read before.

    Answering means the learner reached the end of the page, so the chapter is read; it is
    passed once every published question of its exercise has been answered right. A wrong
    answer cannot pass it, so the "which questions were answered right" read is skipped.
    """
    now = timezone.now()
    newly_read = 0
    if not row.read:
        newly_read = ChapterProgress.objects.filter(pk=row.row_id, read_at__isnull=True).update(
            read_at=now
        )
    passed = row.passed
    newly_passed = 0
    if answered_right and not passed:
        published, right = questions_answered_right(learner=learner, chapter=chapter)
        passed = bool(published) and published <= right
        if passed:
            newly_passed = ChapterProgress.objects.filter(
                pk=row.row_id, passed_at__isnull=True
            ).update(passed_at=now)
    return ExerciseOutcome(
        chapter_passed=passed,
        progress_changed=bool(newly_read or newly_passed),
        enrollment_id=row.enrollment_id,
    )


def enrollments_for(*, learner) -> list[Enrollment]:
    return list(
        Enrollment.objects.filter(learner=learner, course__published=True)
        .select_related("course")
        .order_by("-started_at")
    )

"""Progress: enrolment, chapters read, exercises passed, and the completion rule.

A chapter is *read* when the learner reaches its end or moves on to the next
page, and *passed* once every published question of its exercise has been
answered right at least once. Completing a course issues its certificate.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from quizzes.models import Attempt, Question

from .models import Chapter, ChapterProgress, Course, Enrollment


@dataclass(frozen=True)
class ExerciseOutcome:
    chapter_passed: bool
    course_completed: bool


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


def exercise_chapter_ids(course_ids) -> dict[int, set[int]]:
    rows = (
        Question.objects.filter(
            course_id__in=course_ids, status=Question.Status.PUBLISHED, chapter__isnull=False
        )
        .order_by()
        .values_list("course_id", "chapter_id")
        .distinct()
    )
    result: dict[int, set[int]] = {}
    for course_id, chapter_id in rows:
        result.setdefault(course_id, set()).add(chapter_id)
    return result


def progress_for_courses(
    *, learner, course_ids: list[int], chapters: dict[int, list[int]] | None = None
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
    exercises = exercise_chapter_ids(course_ids)
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
    *, learner, course: Course, chapter_ids: list[int] | None = None
) -> CourseProgress:
    chapters = None if chapter_ids is None else {course.pk: chapter_ids}
    return progress_for_courses(learner=learner, course_ids=[course.pk], chapters=chapters)[
        course.pk
    ]


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


def _progress_row(enrollment: Enrollment, chapter: Chapter) -> ChapterProgress:
    return _get_or_create(ChapterProgress, enrollment=enrollment, chapter=chapter)


def chapter_mark_read(*, learner, chapter: Chapter) -> bool:
    """Record that the learner reached the chapter's end; True if that completed the course."""
    enrollment = enrollment_start(learner=learner, course=chapter.course)
    row = _progress_row(enrollment, chapter)
    if row.read_at is None:
        ChapterProgress.objects.filter(pk=row.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    return enrollment_check_completion(enrollment=enrollment)


def exercise_record(*, learner, chapter: Chapter, answered_right: bool = True) -> ExerciseOutcome:
    """After an answer: the chapter is passed once all its questions were answered right."""
    enrollment = enrollment_start(learner=learner, course=chapter.course)
    row = _progress_row(enrollment, chapter)
    now = timezone.now()
    # Answering means the learner reached the end of the page.
    newly_read = ChapterProgress.objects.filter(pk=row.pk, read_at__isnull=True).update(read_at=now)
    question_ids = set(
        Question.objects.filter(chapter=chapter, status=Question.Status.PUBLISHED).values_list(
            "pk", flat=True
        )
    )
    answered_right = set(
        Attempt.objects.filter(
            learner=learner, question_id__in=question_ids, correct=True
        ).values_list("question_id", flat=True)
    )
    passed = bool(question_ids) and question_ids <= answered_right
    newly_passed = 0
    if passed and row.passed_at is None:
        newly_passed = ChapterProgress.objects.filter(pk=row.pk, passed_at__isnull=True).update(
            passed_at=now
        )
    # Completion can only change when progress did, or, under a pass mark, with a right answer
    # (it may lift the first-try share); a wrong answer to a read chapter changes nothing.
    may_complete = (
        newly_read
        or newly_passed
        or (answered_right and chapter.course.completion_rule == Course.CompletionRule.PASS_MARK)
    )
    completed = bool(may_complete) and enrollment_check_completion(enrollment=enrollment)
    return ExerciseOutcome(chapter_passed=passed, course_completed=completed)


def first_try_share(*, learner, course: Course) -> float:
    """Share of the course's exercise questions the learner got right on the first try."""
    question_ids = list(
        Question.objects.filter(
            course=course, status=Question.Status.PUBLISHED, chapter__isnull=False
        ).values_list("pk", flat=True)
    )
    if not question_ids:
        return 1.0
    first: dict[int, bool] = {}
    for question_id, correct in (
        Attempt.objects.filter(learner=learner, question_id__in=question_ids)
        .order_by("created_at", "pk")
        .values_list("question_id", "correct")
    ):
        first.setdefault(question_id, correct)
    return sum(first.values()) / len(question_ids)


def course_is_complete(*, learner, course: Course) -> bool:
    """The course's completion rule, in one place.

    Every rule needs every chapter read. ``ALL_PASSED`` also needs every
    chapter exercise passed; ``PASS_MARK`` needs the given share of exercise
    questions right on the first try instead.
    """
    state = course_progress(learner=learner, course=course)
    if not state.chapter_ids or not set(state.chapter_ids) <= state.read_ids:
        return False
    if course.completion_rule == Course.CompletionRule.PASS_MARK:
        share = first_try_share(learner=learner, course=course)
        return share * 100 >= course.pass_mark_percent
    return state.exercise_chapter_ids <= state.passed_ids


def enrollment_check_completion(*, enrollment: Enrollment) -> bool:
    """Complete the enrollment when the rule says so; True only for the call that completed it."""
    if enrollment.completed_at is not None:
        return False
    if not course_is_complete(learner=enrollment.learner, course=enrollment.course):
        return False
    # Of two racing requests only one updates the row; both then ask for the certificate,
    # whose unique constraint makes the second ask return the first one's certificate.
    updated = Enrollment.objects.filter(pk=enrollment.pk, completed_at__isnull=True).update(
        completed_at=timezone.now()
    )
    enrollment.refresh_from_db(fields=["completed_at"])
    _issue_certificate(enrollment)
    return updated == 1


def _issue_certificate(enrollment: Enrollment) -> None:
    from certificates.services import certificate_issue  # certificates depends on courses

    certificate_issue(enrollment=enrollment)


def enrollments_for(*, learner) -> "list[Enrollment]":
    return list(
        Enrollment.objects.filter(learner=learner)
        .select_related("course")
        .filter(Q(course__published=True))
        .order_by("-started_at")
    )

"""The completion rule, in one function, and completing an enrollment by it.

``course_is_complete`` is the only place that decides whether a learner has completed a
course; pages (overview, My learning), certificates and credentials follow what it says
(the rule's wording is ``Course.completion_criteria``).
"""

from django.utils import timezone

from courses.models import Course
from quizzes.selectors import first_try_share

from .models import Enrollment, ExamAttempt
from .progress import CourseProgress, course_progress, enrollment_progress


def course_is_complete(*, learner, course: Course, state: CourseProgress | None = None) -> bool:
    """Every rule needs every chapter read. ``ALL_PASSED`` also needs every chapter exercise
    passed; ``PASS_MARK`` needs the course's share of exercise questions right on the first
    try instead. A course with a final exam also needs it passed."""
    state = state or course_progress(learner=learner, course=course)
    if not state.all_read:
        return False
    if course.completion_rule == Course.CompletionRule.PASS_MARK:
        exercises = first_try_share(learner=learner, course=course) * 100 >= (
            course.pass_mark_percent
        )
    else:
        exercises = state.all_passed
    if not exercises:
        return False
    return not course.exam_enabled or exam_passed(learner=learner, course=course)


def exam_passed(*, learner, course: Course) -> ExamAttempt | None:
    """The learner's best passed exam attempt of the course, if any."""
    return (
        ExamAttempt.objects.filter(learner=learner, course=course, passed=True)
        .order_by("-score", "submitted_at")
        .first()
    )


def enrollment_complete(*, enrollment: Enrollment) -> bool:
    """Mark the enrollment completed if the rule holds; True only for the call that did.

    Of two racing requests only one updates the row (a conditional UPDATE); the other
    reads the completion the first one wrote.
    """
    if enrollment.completed_at is not None:
        return False
    state = enrollment_progress(enrollment=enrollment)
    if not course_is_complete(learner=enrollment.learner, course=enrollment.course, state=state):
        return False
    updated = Enrollment.objects.filter(pk=enrollment.pk, completed_at__isnull=True).update(
        completed_at=timezone.now()
    )
    enrollment.refresh_from_db(fields=["completed_at"])
    return updated == 1

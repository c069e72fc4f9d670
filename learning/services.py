"""What happens when a learner acts: each flow reads top to bottom, in one transaction.

An answer: grade and record it (quizzes) -> move progress -> apply the completion rule ->
issue the certificate (certificates). Reaching a chapter's end: mark it read -> completion
-> certificate. Saving a name: issue what waited for it.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import translation

from certificates.models import Certificate
from certificates.services import certificate_issue
from certificates.tasks import after_issue
from courses.models import Chapter, Course
from quizzes.models import Question
from quizzes.services import Grade, attempt_record, response_grade

from .completion import enrollment_complete, exam_passed
from .exam import exam_submit
from .models import Enrollment, ExamAttempt
from .progress import (
    ProgressRow,
    chapter_mark_read,
    enrollment_start,
    exercise_record,
    progress_enrollment,
    progress_row,
)
from .tasks import after_waiting_for_name


@dataclass(frozen=True)
class AnswerOutcome:
    grade: Grade
    chapter_passed: bool
    course_completed: bool


def enrollment_certificate(*, enrollment: Enrollment) -> Certificate | None:
    """The certificate of a completed enrollment (None until completed and named)."""
    if enrollment.completed_at is None:
        return None
    exam = exam_passed(learner=enrollment.learner, course=enrollment.course)
    existed = Certificate.objects.filter(
        learner_id=enrollment.learner_id, course_id=enrollment.course_id
    ).exists()
    certificate = certificate_issue(
        learner=enrollment.learner,
        course=enrollment.course,
        completed_at=enrollment.completed_at,
        exam_score=exam.score_percent if exam else None,
        # The learner's own choice, else the language they are using right now.
        language=enrollment.learner.language or translation.get_language(),
    )
    if certificate is not None and not existed:
        after_issue(certificate)  # the PDF drawn and an email sent, in the background
    elif certificate is None:
        after_waiting_for_name(enrollment)
    return certificate


@transaction.atomic
def exam_finish(*, attempt: ExamAttempt, responses: dict[int, dict]) -> tuple[ExamAttempt, bool]:
    """Grade an exam attempt (once) and, if it passed, complete the course and issue the
    certificate when the rest of the rule holds; (attempt, whether the course completed)."""
    graded = exam_submit(attempt=attempt, responses=responses)
    completed = False
    if graded.passed:
        enrollment = enrollment_start(learner=graded.learner, course=graded.course)
        completed = enrollment_complete(enrollment=enrollment)
        if completed:
            enrollment_certificate(enrollment=enrollment)
    return graded, completed


def answer_submit(*, learner, question: Question, response: dict) -> AnswerOutcome:
    """One exercise answer, from the grade to the certificate.

    The reads come first, outside any transaction: on SQLite a transaction holds the
    database's one write lock from its first statement, and a second worker that finds it
    taken sleeps a millisecond or more before it tries again. A wrong answer to a chapter
    already read writes one row, the attempt, which needs no transaction of its own.
    """
    chapter = question.chapter
    row = progress_row(learner=learner, chapter=chapter)
    grade = response_grade(question=question, response=response)
    if row.read and not grade.correct:
        attempt_record(learner=learner, question=question, response=response, grade=grade)
        return AnswerOutcome(grade, row.passed, False)
    return _answer_record(
        learner=learner, question=question, response=response, grade=grade, row=row
    )


@transaction.atomic
def _answer_record(
    *, learner, question: Question, response: dict, grade: Grade, row: ProgressRow
) -> AnswerOutcome:
    attempt_record(learner=learner, question=question, response=response, grade=grade)
    chapter = question.chapter
    outcome = exercise_record(
        learner=learner, chapter=chapter, answered_right=grade.correct, row=row
    )
    # Completion can change only when progress did, or, under a pass mark, with a right
    # answer; a wrong answer to a chapter already read changes nothing (and reads no more).
    may_complete = outcome.progress_changed or (
        grade.correct and chapter.course.completion_rule == Course.CompletionRule.PASS_MARK
    )
    completed = False
    if may_complete:
        enrollment = progress_enrollment(
            learner=learner, course=chapter.course, enrollment_id=outcome.enrollment_id
        )
        completed = enrollment_complete(enrollment=enrollment)
        if completed:
            enrollment_certificate(enrollment=enrollment)
    return AnswerOutcome(grade, outcome.chapter_passed, completed)


@transaction.atomic
def chapter_finish(*, learner, chapter: Chapter) -> bool:
    """The learner reached the chapter's end; True if that completed the course."""
    enrollment = chapter_mark_read(learner=learner, chapter=chapter)
    completed = enrollment is not None and enrollment_complete(enrollment=enrollment)
    if completed:
        enrollment_certificate(enrollment=enrollment)
    return completed


def certificates_issue_pending(*, learner) -> list[Certificate]:
    """Issue what was held back for want of a name; called when the learner saves one."""
    pending = (
        Enrollment.objects.filter(learner=learner, completed_at__isnull=False)
        .exclude(course__certificates__learner=learner)
        .select_related("course", "learner")
    )
    issued = [enrollment_certificate(enrollment=enrollment) for enrollment in pending]
    return [certificate for certificate in issued if certificate is not None]

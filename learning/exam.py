"""The final exam: a random draw from the course's bank, a pass mark, attempts, a deadline.

The server is the only clock. A started attempt stores its draw (questions and the order of
each question's options), so a reload shows the same exam. Answers that arrive after the
deadline (and a short grace for the network) are graded as they stood at the deadline: not
given, so wrong. An attempt never submitted is closed and graded when its deadline passes and
the learner next arrives. A submission is graded once (the row is locked and must still be
open), so two tabs or a replayed POST cannot grade twice.
"""

import random
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from courses.models import Course
from quizzes.models import Attempt, Question
from quizzes.services import attempt_submit

from .models import ExamAttempt, ExamGrant

GRACE = timedelta(seconds=15)
WINDOW = timedelta(hours=24)


class ExamError(Exception):
    """The exam cannot be started or submitted now; the message says why, for the learner."""


def exam_draw(
    *, bank: dict[int, list[int]], size: int, seed: str, seen: frozenset[int] = frozenset()
) -> list[int]:
    """``size`` question ids drawn from ``bank`` (chapter -> question ids) without repeats.

    Chapters are represented in proportion to their share of the bank, every chapter at
    least once when ``size`` allows (largest remainders decide the rest); never more than
    the bank holds. Within a chapter, questions the learner has not been asked in an earlier
    attempt (``seen``) come first, so retaking the exam asks new questions while the bank
    has them. The same seed gives the same draw.
    """
    rng = random.Random(seed)
    total = sum(len(ids) for ids in bank.values())
    size = min(size, total)
    if size <= 0:
        return []
    chapters = [chapter for chapter, ids in sorted(bank.items()) if ids]
    quotas = {c: size * len(bank[c]) / total for c in chapters}
    counts = {c: int(quotas[c]) for c in chapters}
    if size >= len(chapters):
        for c in chapters:
            counts[c] = max(counts[c], 1)
    while sum(counts.values()) > size:
        # Too many after giving every chapter one: take back from the largest shares.
        c = max((c for c in chapters if counts[c] > 1), key=lambda c: counts[c] - quotas[c])
        counts[c] -= 1
    order = sorted(chapters, key=lambda c: (quotas[c] - int(quotas[c]), rng.random()), reverse=True)
    while sum(counts.values()) < size:
        for c in order:
            if sum(counts.values()) < size and counts[c] < len(bank[c]):
                counts[c] += 1
    drawn = []
    for c in chapters:
        fresh = sorted(q for q in bank[c] if q not in seen)
        asked = sorted(q for q in bank[c] if q in seen)
        rng.shuffle(fresh)
        rng.shuffle(asked)
        drawn.extend((fresh + asked)[: counts[c]])
    rng.shuffle(drawn)
    return drawn


def _bank(course: Course) -> dict[int, list[int]]:
    """Chapter -> the published question ids the exam may draw for it.

    A chapter whose bank holds other items than its exercise is examined on those: the
    exam does not repeat the exercise the learner has already answered. A chapter with only
    its exercise is examined on the exercise.
    """
    exercises: dict[int, list[int]] = {}
    others: dict[int, list[int]] = {}
    for question_id, chapter_id, source_chapter_id in Question.objects.filter(
        course=course, status=Question.Status.PUBLISHED
    ).values_list("pk", "chapter_id", "source_chapter_id"):
        if chapter_id:
            exercises.setdefault(chapter_id, []).append(question_id)
        else:
            # Generated items in the bank belong to the chapter they were made from.
            others.setdefault(source_chapter_id or 0, []).append(question_id)
    return {
        chapter: others.get(chapter) or exercises.get(chapter, [])
        for chapter in {*exercises, *others}
    }


@dataclass
class ExamState:
    """Where a learner stands with a course's exam, and what the pages say about it."""

    enabled: bool
    open: bool = False
    reason: str = ""  # why it is not open
    attempts_left: int = 0
    next_at: datetime | None = None  # when an attempt is possible again
    in_progress: ExamAttempt | None = None
    passed: ExamAttempt | None = None
    last: ExamAttempt | None = None
    history: list[ExamAttempt] = field(default_factory=list)
    size: int = 0
    bank_size: int = 0  # published questions the exam may draw from
    bank_too_small: bool = False  # under twice the draw, not accepted by an admin

    @property
    def no_attempts_left(self) -> bool:
        return self.enabled and not self.passed and self.attempts_left <= 0


def exam_close_expired(*, learner, course: Course) -> None:
    """Grade attempts whose deadline passed without a submission (as they stood: empty)."""
    now = timezone.now()
    for attempt in ExamAttempt.objects.filter(
        learner=learner, course=course, submitted_at__isnull=True, deadline__lt=now - GRACE
    ):
        exam_submit(attempt=attempt, responses={}, now=now)


def exam_state(*, learner, course: Course, all_read: bool) -> ExamState:
    if not course.exam_enabled:
        return ExamState(enabled=False)
    exam_close_expired(learner=learner, course=course)
    now = timezone.now()
    history = list(
        ExamAttempt.objects.filter(learner=learner, course=course).order_by("-started_at")
    )
    bank_size = sum(len(v) for v in _bank(course).values())
    state = ExamState(
        enabled=True,
        history=history,
        last=history[0] if history else None,
        size=min(course.exam_questions, bank_size),
        bank_size=bank_size,
        bank_too_small=bank_size < 2 * course.exam_questions
        and not course.exam_small_bank_accepted,
    )
    state.in_progress = next((a for a in history if a.submitted_at is None), None)
    state.passed = next((a for a in history if a.passed), None)
    recent = [a for a in history if a.started_at >= now - WINDOW]
    granted = ExamGrant.objects.filter(
        learner=learner, course=course, created_at__gte=now - WINDOW
    ).count()
    state.attempts_left = max(0, course.exam_attempts_per_day + granted - len(recent))
    if state.attempts_left <= 0 and recent:
        state.next_at = min(a.started_at for a in recent) + WINDOW
    failed = [a for a in history if a.submitted_at and not a.passed]
    if course.exam_cooldown_minutes and failed and not state.passed:
        until = failed[0].submitted_at + timedelta(minutes=course.exam_cooldown_minutes)
        if until > now:
            state.next_at = max(state.next_at or until, until)
            state.reason = _("You can try again at %(time)s (UTC).") % {
                "time": formats.time_format(timezone.localtime(until), "H:i")
            }
    if state.passed:
        state.reason = _("You passed the exam.")
    elif state.in_progress:
        state.open = True
    elif not state.size:
        state.reason = _("The exam has no questions yet.")
    elif state.bank_too_small:
        state.reason = _("The exam is not open yet: it needs more questions.")
    elif course.exam_opens == Course.ExamOpens.AFTER_READING and not all_read:
        state.reason = _("The exam opens once you have read every chapter.")
    elif state.attempts_left <= 0:
        if state.next_at:
            state.reason = _(
                "You have no attempts left for now; the next one is possible at %(when)s (UTC)."
            ) % {"when": formats.date_format(timezone.localtime(state.next_at), "DATETIME_FORMAT")}
        else:
            state.reason = _("You have no attempts left for now.")
    elif not state.reason:
        state.open = True
    return state


@transaction.atomic
def exam_start(*, learner, course: Course, all_read: bool) -> ExamAttempt:
    """The learner's open attempt, or a new one with its draw stored; ExamError if none."""
    state = exam_state(learner=learner, course=course, all_read=all_read)
    if state.in_progress:
        return state.in_progress
    if not state.open:
        raise ExamError(state.reason or _("The exam is not open."))
    seed = secrets.token_hex(8)
    seen = frozenset(
        question_id
        for ids in ExamAttempt.objects.filter(learner=learner, course=course).values_list(
            "question_ids", flat=True
        )
        for question_id in ids
    )
    drawn = exam_draw(bank=_bank(course), size=course.exam_questions, seed=seed, seen=seen)
    now = timezone.now()
    limit = course.exam_time_limit_minutes
    try:
        with transaction.atomic():
            return ExamAttempt.objects.create(
                learner=learner,
                course=course,
                seed=seed,
                question_ids=drawn,
                started_at=now,
                deadline=now + timedelta(minutes=limit) if limit else None,
                pass_percent=course.exam_pass_percent,
            )
    except IntegrityError:
        # Two "Start" presses at once: the one_open_exam_attempt constraint let one insert
        # win; the other continues the same attempt.
        return ExamAttempt.objects.get(learner=learner, course=course, submitted_at__isnull=True)


def exam_submit(*, attempt: ExamAttempt, responses: dict[int, dict], now=None) -> ExamAttempt:
    """Grade the attempt once; a second submission returns the first grade untouched."""
    now = now or timezone.now()
    with transaction.atomic():
        # The lock makes concurrent submissions wait; the winner grades, the others find
        # the attempt submitted.
        locked = ExamAttempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.submitted_at is not None:
            return locked
        late = locked.deadline is not None and now > locked.deadline + GRACE
        questions = {
            q.pk: q
            for q in Question.objects.filter(pk__in=locked.question_ids).prefetch_related("choices")
        }
        right = 0
        missed = []
        for question_id in locked.question_ids:
            question = questions.get(question_id)
            if question is None:
                continue  # deleted since the draw: neither right nor wrong
            response = {} if late else responses.get(question_id, {})
            result = attempt_submit(
                learner=locked.learner,
                question=question,
                response=response,
                context=Attempt.Context.EXAM,
                context_key=f"exam:{locked.pk}",
            )
            if result.grade.correct:
                right += 1
            else:
                missed.append(question_id)
        counted = len([q for q in locked.question_ids if q in questions])
        score = Decimal(right) / Decimal(counted) if counted else Decimal(0)
        locked.submitted_at = now
        locked.score = score.quantize(Decimal("0.0001"))
        # Pass or fail on the whole percent the learner is shown (rounded down).
        locked.passed = locked.score_percent >= locked.pass_percent
        locked.missed_ids = missed
        locked.late = late
        locked.save(update_fields=["submitted_at", "score", "passed", "missed_ids", "late"])
    return locked


@transaction.atomic
def exam_grant(*, learner, course: Course, granted_by, reason: str) -> ExamGrant:
    """One more attempt within the next 24 hours, recorded with who and why."""
    reason = reason.strip()
    if not reason:
        raise ExamError("Say why the extra attempt is granted.")
    return ExamGrant.objects.create(
        learner=learner, course=course, granted_by=granted_by, reason=reason
    )

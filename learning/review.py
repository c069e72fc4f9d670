"""Spaced review: learners meet again what they missed, and the key questions they got right,
on the days FSRS says (py-fsrs, the algorithm Anki uses; issue 27).

Cards are made from the exercise history when the learner next looks (``review_cards_sync``,
from My learning and the review page), never on the answer's hot path: every exercise
question answered wrong at the first try gets a card reviewed "Again" at that moment (due the
next day), every one answered right at once a card reviewed "Good" (due two days later).
Each review answer moves the card on: right is "Good", wrong is "Again". The scheduler has no
learning steps (minutes apart suit flashcards, not a course read over days) and no fuzz, so
the same answers on the same days give the same due dates.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from quizzes.models import Question
from quizzes.selectors import exercise_first_tries

from .models import ReviewCard

# Still a mistake: missed last time, or missed at the first try and not reviewed since.
MISSED = Q(last_right=False) | Q(last_right__isnull=True, first_try_right=False)

SCHEDULER = Scheduler(
    desired_retention=0.9, learning_steps=(), relearning_steps=(), enable_fuzzing=False
)


def _scheduled(card: Card, *, right: bool, at: datetime) -> Card:
    reviewed, _log = SCHEDULER.review_card(
        card, Rating.Good if right else Rating.Again, review_datetime=at
    )
    return reviewed


def review_cards_sync(*, learner) -> int:
    """Make the cards the learner's exercise history calls for; returns how many were new.
    Three queries when there is nothing new, whatever the length of the history."""
    tries = exercise_first_tries(learner=learner)
    have = set(ReviewCard.objects.filter(learner=learner).values_list("question_id", flat=True))
    new = []
    for first in tries:
        if first.question_id in have:
            continue
        card = _scheduled(Card(), right=first.correct, at=first.at)
        new.append(
            ReviewCard(
                learner=learner,
                question_id=first.question_id,
                course_id=first.course_id,
                card=card.to_dict(),
                due=card.due,
                first_try_right=first.correct,
            )
        )
    if new:
        # Two tabs syncing at once: the unique constraint keeps one card per question.
        ReviewCard.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _cards(*, learner, course=None):
    """The learner's cards of published questions (an unpublished question waits)."""
    cards = ReviewCard.objects.filter(learner=learner, question__status=Question.Status.PUBLISHED)
    return cards if course is None else cards.filter(course=course)


def reviews_due(*, learner, now: datetime | None = None, course=None) -> int:
    return _cards(learner=learner, course=course).filter(due__lte=now or timezone.now()).count()


def review_next(*, learner, now: datetime | None = None, course=None, mistakes=False):
    """The card to review now: the most overdue one; with ``mistakes``, the course's
    questions still missed, due or not ("Retry my mistakes")."""
    cards = _cards(learner=learner, course=course).order_by("due", "pk")
    cards = cards.filter(MISSED) if mistakes else cards.filter(due__lte=now or timezone.now())
    return cards.first()


def mistakes_count(*, learner, course) -> int:
    return _cards(learner=learner, course=course).filter(MISSED).count()


def next_due(*, learner) -> datetime | None:
    return _cards(learner=learner).order_by("due").values_list("due", flat=True).first()


@dataclass(frozen=True)
class ReviewOutcome:
    card: ReviewCard
    right: bool


@transaction.atomic
def review_answer(*, card: ReviewCard, right: bool, now: datetime | None = None) -> ReviewOutcome:
    """A review answer moves the card to its next due date."""
    now = now or timezone.now()
    locked = ReviewCard.objects.select_for_update().get(pk=card.pk)
    scheduled = _scheduled(Card.from_dict(locked.card), right=right, at=now)
    locked.card = scheduled.to_dict()
    locked.due = scheduled.due
    locked.reviews += 1
    locked.reviews_right += int(right)
    locked.last_reviewed_at = now
    locked.last_right = right
    locked.save(
        update_fields=["card", "due", "reviews", "reviews_right", "last_reviewed_at", "last_right"]
    )
    return ReviewOutcome(locked, right)

"""Reads for the exercise block of a chapter page."""

import random
from dataclasses import dataclass

from django.db.models import Prefetch

from courses.models import Chapter
from courses.pagecache import cached_content

from .models import Attempt, Choice, Question


@dataclass(frozen=True)
class ExerciseItem:
    question: Question
    choices: list[Choice]
    # For matching: the answers offered in every drop-down, one per distinct text.
    answers: list[Choice]
    passed: bool


def _shuffled(items: list, seed: str) -> list:
    items = list(items)
    random.Random(seed).shuffle(items)
    return items


def _published_questions(chapter: Chapter) -> list[Question]:
    # The same for every learner, so cached per content version (courses.pagecache).
    return list(
        Question.objects.filter(chapter=chapter, status=Question.Status.PUBLISHED)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position", "pk")))
    )


def chapter_exercise(*, chapter: Chapter, learner, seed: str) -> list[ExerciseItem]:
    """The chapter's published questions with choices in a per-learner stable order.

    ``seed`` identifies the learner (user id, or session for visitors) so a reload
    shows the same order while two learners see different ones.
    """
    questions = cached_content(
        f"chapter-questions:{chapter.pk}", lambda: _published_questions(chapter)
    )
    passed_ids: set[int] = set()
    if learner is not None and learner.is_authenticated and questions:
        passed_ids = set(
            Attempt.objects.filter(
                learner=learner, question__in=questions, correct=True
            ).values_list("question_id", flat=True)
        )
    items = []
    for question in questions:
        choices = list(question.choices.all())
        answers: list[Choice] = []
        if question.qtype == Question.Type.MATCHING:
            by_text: dict[str, Choice] = {}
            for choice in choices:
                by_text.setdefault(choice.match_text, choice)
            answers = _shuffled(by_text.values(), f"{seed}:{question.pk}:answers")
            choices = [choice for choice in choices if choice.text]
        if question.qtype != Question.Type.TRUE_FALSE:
            choices = _shuffled(choices, f"{seed}:{question.pk}")
        items.append(ExerciseItem(question, choices, answers, question.pk in passed_ids))
    return items

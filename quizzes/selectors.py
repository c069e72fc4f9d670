"""Reads for the exercise block of a chapter page."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.html import conditional_escape

from core.pagecache import cached_content
from courses.models import Chapter

from .keys import form_key, shuffled
from .models import Attempt, Choice, Question


@dataclass(frozen=True)
class Option:
    """One thing in a form: ``name`` is the opaque value posted (or, for a matching
    sub-question, the field's name); ``html`` its sanitised label."""

    name: str
    html: str


@dataclass(frozen=True)
class ExerciseItem:
    question: Question
    # The choices, or for matching the sub-questions, in this learner's order.
    options: list[Option]
    # For matching: the answers offered in every drop-down, one per distinct text.
    answers: list[Option]
    passed: bool


def _is_true(choice: Choice) -> bool:
    return choice.text.strip().casefold() == "true"


def exercise_options(*, question: Question, seed: str) -> tuple[list[Option], list[Option]]:
    """The options of one question as this learner's form shows them.

    True/false always reads True, False, whichever is right; every other list is shuffled
    per learner; names are per-learner HMACs (quizzes.keys), never the stored keys.
    """
    choices = list(question.choices.all())

    def key(role: str, value: str) -> str:
        return form_key(seed=seed, question_id=question.pk, role=role, value=value)

    if question.qtype == Question.Type.MATCHING:
        texts = list(dict.fromkeys(choice.match_text for choice in choices))
        answers = [
            Option(key("answer", text), str(conditional_escape(text)))
            for text in shuffled(texts, seed=seed, question_id=question.pk, role="answers")
        ]
        subs = [choice for choice in choices if choice.text]
        options = [
            Option(key("sub", choice.key), choice.text_html)
            for choice in shuffled(subs, seed=seed, question_id=question.pk, role="subs")
        ]
        return options, answers
    if question.qtype == Question.Type.TRUE_FALSE:
        ordered = sorted(choices, key=lambda choice: not _is_true(choice))
    else:
        ordered = shuffled(choices, seed=seed, question_id=question.pk, role="choices")
    return [Option(key("choice", choice.key), choice.text_html) for choice in ordered], []


def _published_questions(chapter: Chapter) -> list[Question]:
    # The same for every learner, so cached per content version (courses.pagecache).
    return list(
        Question.objects.filter(chapter=chapter, status=Question.Status.PUBLISHED)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position", "pk")))
    )


def _chapter_questions(chapter: Chapter) -> list[Question]:
    """The chapter's published questions, from the content cache."""
    return cached_content(f"chapter-questions:{chapter.pk}", lambda: _published_questions(chapter))


def _answered_right(*, learner, question_ids: set[int]) -> set[int]:
    """Which of these questions the learner has answered right in a chapter exercise (exam
    answers never count): one query on the ``attempt_right_answers`` index."""
    return set(
        Attempt.objects.filter(
            learner=learner,
            question_id__in=question_ids,
            correct=True,
            context=Attempt.Context.EXERCISE,
        )
        .order_by()  # no sort: a set is wanted
        .values_list("question_id", flat=True)
        .distinct()
    )


def chapter_exercise(*, chapter: Chapter, learner, seed: str) -> list[ExerciseItem]:
    """The chapter's published questions with choices in a per-learner stable order.

    ``seed`` (quizzes.keys.learner_seed) identifies the learner so a reload shows the same
    order and names while two learners see different ones.
    """
    questions = _chapter_questions(chapter)
    passed_ids: set[int] = set()
    if learner is not None and learner.is_authenticated and questions:
        passed_ids = _answered_right(learner=learner, question_ids={q.pk for q in questions})
    items = []
    for question in questions:
        options, answers = exercise_options(question=question, seed=seed)
        items.append(ExerciseItem(question, options, answers, question.pk in passed_ids))
    return items


def exercise_chapter_ids(*, course_ids: list[int]) -> dict[int, set[int]]:
    """Per course, the chapters that have an exercise (a published question)."""
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


def questions_answered_right(*, learner, chapter: Chapter) -> tuple[set[int], set[int]]:
    """The chapter's published question ids (from the content cache), and those this learner
    has answered right (one query)."""
    published = {question.pk for question in _chapter_questions(chapter)}
    return published, _answered_right(learner=learner, question_ids=published)


def first_try_share(*, learner, course) -> float:
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
        Attempt.objects.filter(
            learner=learner, question_id__in=question_ids, context=Attempt.Context.EXERCISE
        )
        .order_by("created_at", "pk")
        .values_list("question_id", "correct")
    ):
        first.setdefault(question_id, correct)
    return sum(first.values()) / len(question_ids)


def chapter_question(*, chapter: Chapter, question_id) -> Question | None:
    """One published question of the chapter, with its choices, from the shared content
    cache (no query when the chapter's page was shown lately)."""
    if not str(question_id).isdigit():
        return None
    return next((q for q in _chapter_questions(chapter) if q.pk == int(question_id)), None)


def course_exercise_chapters(*, course_id: int) -> set[int]:
    """The course's chapters with an exercise, the same for every learner (content cache)."""
    return cached_content(
        f"exercise-chapters:{course_id}",
        lambda: exercise_chapter_ids(course_ids=[course_id]).get(course_id, set()),
    )

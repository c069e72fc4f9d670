"""Reads for the exercise block of a chapter page."""

from typing import NamedTuple

from django.db import connection
from django.db.models import Prefetch
from django.utils.html import conditional_escape

from core.pagecache import cached_content
from courses.models import Chapter

from .keys import form_keys
from .models import Attempt, Choice, Question


class Option(NamedTuple):
    """One thing in a form: ``name`` is the opaque value posted (or, for a matching
    sub-question, the field's name); ``html`` its sanitised label. Tuples: a page makes one
    per option, and a frozen dataclass costs three times as much to make."""

    name: str
    html: str


class ExerciseItem(NamedTuple):
    question: Question
    # The choices, or for matching the sub-questions, in this learner's order.
    options: list[Option]
    # For matching: the answers offered in every drop-down, one per distinct text.
    answers: list[Option]
    passed: bool


def _is_true(choice: Choice) -> bool:
    return choice.text.strip().casefold() == "true"


def _choice_list(question: Question) -> list[Choice]:
    listed = getattr(question, "choice_list", None)
    return listed if listed is not None else list(question.choices.all())


def _by_name(options: list[Option]) -> list[Option]:
    # Names are per-learner MACs: ordering by them is a shuffle that is stable for the
    # learner and unpredictable without the secret, and costs no second MAC per option.
    # (Options are tuples with the name first: sorted() compares names, in C.)
    return sorted(options)


def exercise_options(*, question: Question, seed: str) -> tuple[list[Option], list[Option]]:
    """The options of one question as this learner's form shows them.

    True/false always reads True, False, whichever is right; every other list is shuffled
    per learner; names are per-learner MACs (quizzes.keys), never the stored keys.
    """
    choices = _choice_list(question)
    question_id = question.id
    if question.qtype == Question.Type.MATCHING:
        answer_key = form_keys(seed=seed, question_id=question_id, role="answer")
        sub_key = form_keys(seed=seed, question_id=question_id, role="sub")
        texts = dict.fromkeys(choice.match_text for choice in choices)
        answers = [Option(answer_key(text), str(conditional_escape(text))) for text in texts]
        subs = [Option(sub_key(c.key), c.text_html) for c in choices if c.text]
        return _by_name(subs), _by_name(answers)
    key = form_keys(seed=seed, question_id=question_id, role="choice")
    if question.qtype == Question.Type.TRUE_FALSE:
        ordered = sorted(choices, key=lambda choice: not _is_true(choice))
        return [Option(key(c.key), c.text_html) for c in ordered], []
    return _by_name([Option(key(c.key), c.text_html) for c in choices]), []


def chosen_option_names(*, question: Question, response: dict, seed: str) -> set[str]:
    """The names, in this learner's form, of the choices a graded response picked: the page
    that shows a wrong answer keeps them ticked and marked as the learner's own."""
    picked = response.get("choices") or [response.get("choice")]
    key = form_keys(seed=seed, question_id=question.id, role="choice")
    return {key(choice_key) for choice_key in picked if isinstance(choice_key, str) and choice_key}


def response_in_words(*, question: Question, response: dict) -> str:
    """A stored response as the learner gave it, in words ("" when unanswered): shown
    beside the right answer once the exam's answers are shown."""
    choices = {choice.key: choice for choice in question.choices.all()}
    match question.qtype:
        case Question.Type.SHORT_ANSWER:
            return str(response.get("text", "")).strip()
        case Question.Type.NUMERICAL:
            return str(response.get("number", "")).strip()
        case Question.Type.MATCHING:
            pairs = response.get("matches") or {}
            return "; ".join(
                f"{choices[sub].text} → {choices[answer].match_text}"
                for sub, answer in pairs.items()
                if sub in choices and answer in choices
            )
        case Question.Type.MULTIPLE:
            picked = response.get("choices") or []
            return "; ".join(choices[key].text for key in picked if key in choices)
    key = response.get("choice", "")
    return choices[key].text if key in choices else ""


def exam_responses(*, learner, attempt_key: str, question_ids: list[int]) -> dict[int, dict]:
    """The responses a learner gave in one exam sitting, by question (one query)."""
    return dict(
        Attempt.objects.filter(
            learner=learner,
            context=Attempt.Context.EXAM,
            context_key=attempt_key,
            question_id__in=question_ids,
        ).values_list("question_id", "response")
    )


class FirstTry(NamedTuple):
    question_id: int
    course_id: int
    at: object  # datetime
    correct: bool


def exercise_first_tries(*, learner) -> list[FirstTry]:
    """Each published exercise question the learner has answered, with their first try:
    when, and whether it was right (one query, whatever the number of attempts)."""
    first: dict[int, FirstTry] = {}
    rows = (
        Attempt.objects.filter(
            learner=learner,
            context=Attempt.Context.EXERCISE,
            question__status=Question.Status.PUBLISHED,
        )
        .order_by("question_id", "created_at", "pk")
        .values_list("question_id", "question__course_id", "created_at", "correct")
    )
    for question_id, course_id, at, correct in rows:
        if question_id not in first:
            first[question_id] = FirstTry(question_id, course_id, at, correct)
    return list(first.values())


def questions_for_review(*, question_ids: list[int]) -> dict[int, Question]:
    """The questions a review page shows, with their course and choices (two queries)."""
    return {
        question.pk: question
        for question in Question.objects.filter(pk__in=question_ids)
        .select_related("course")
        .prefetch_related("choices")
    }


def _published_questions(chapter: Chapter) -> list[Question]:
    # The same for every learner, so cached per content version (courses.pagecache).
    questions = list(
        Question.objects.filter(chapter=chapter, status=Question.Status.PUBLISHED)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position", "pk")))
    )
    for question in questions:
        # The same objects as a plain list: a page reads them without making a manager each
        # time (pickled once, as shared references).
        question.choice_list = list(question.choices.all())
    return questions


def _chapter_questions(chapter: Chapter) -> list[Question]:
    """The chapter's published questions, from the content cache."""
    return cached_content(f"chapter-questions:{chapter.pk}", lambda: _published_questions(chapter))


def answered_right_sql(*, learner_id: int, question_ids: list[int]) -> tuple[str, list]:
    """The SQL of "which of these questions has the learner answered right in a chapter
    exercise" (exam answers never count), on the ``attempt_right_answers`` index (learner,
    context, correct, question): every column an equality or IN, no sort.

    Written out rather than built by the ORM per request: building the queryset cost 0.4 ms
    of a 1 ms page, running it 15 µs (issue 14; bench/RESULTS.md). Its plan is asserted on
    both databases (tests/test_query_plans.py)."""
    table = connection.ops.quote_name(Attempt._meta.db_table)
    marks = ", ".join(["%s"] * len(question_ids))
    # Only the quoted table name and placeholders are formatted in: values go as params.
    sql = (
        f"SELECT DISTINCT question_id FROM {table} "  # noqa: S608
        f"WHERE learner_id = %s AND context = %s AND correct = %s AND question_id IN ({marks})"
    )
    return sql, [learner_id, Attempt.Context.EXERCISE.value, True, *question_ids]


def _answered_right(*, learner, question_ids: set[int]) -> set[int]:
    """Which of these questions the learner has answered right in a chapter exercise: one
    query."""
    if not question_ids:
        return set()
    sql, params = answered_right_sql(learner_id=learner.pk, question_ids=sorted(question_ids))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def chapter_exercise(*, chapter: Chapter, learner, seed: str) -> list[ExerciseItem]:
    """The chapter's published questions with choices in a per-learner stable order.

    ``seed`` (quizzes.keys.learner_seed) identifies the learner so a reload shows the same
    order and names while two learners see different ones.
    """
    questions = _chapter_questions(chapter)
    passed_ids: set[int] = set()
    if learner is not None and learner.is_authenticated and questions:
        passed_ids = _answered_right(learner=learner, question_ids={q.id for q in questions})
    return [
        ExerciseItem(
            question, *exercise_options(question=question, seed=seed), question.id in passed_ids
        )
        for question in questions
    ]


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

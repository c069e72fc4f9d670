"""Grading, server-side, per question type, and the record of every submission.

A response is the plain dict a form posts, keyed by what the learner saw:
opaque choice keys, never positions or correctness flags.

- single, missing word, true/false: ``{"choice": key}``
- multiple response: ``{"choices": [key, ...]}``
- short answer: ``{"text": "..."}``
- numerical: ``{"number": "3.14"}``
- matching: ``{"matches": {sub_question_key: answer_key}}``
"""

from dataclasses import dataclass, field
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal, InvalidOperation, localcontext
from functools import cache

from django.db import connections, router
from django.utils import timezone

from quizzes.models import Attempt, Choice, Question

ZERO = Decimal(0)
ONE = Decimal(1)
# Moodle's weights are rounded to 5 decimals (33.33333%); three of them make "right".
_FULL_MARKS = Decimal("0.9999")


@dataclass(frozen=True)
class Grade:
    score: Decimal
    correct: bool
    feedback_html: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AttemptResult:
    attempt: Attempt
    grade: Grade


def _clamp(score: Decimal) -> Decimal:
    return min(ONE, max(ZERO, score))


def _by_key(question: Question) -> dict[str, Choice]:
    return {choice.key: choice for choice in question.choices.all()}


def _feedback(choices: list[Choice]) -> list[str]:
    return [choice.feedback_html for choice in choices if choice.feedback_html]


def _grade_one_choice(question: Question, response: dict) -> Grade:
    chosen = _by_key(question).get(str(response.get("choice", "")))
    if chosen is None:
        return Grade(ZERO, False)
    score = _clamp(chosen.fraction)
    return Grade(score, score >= _FULL_MARKS, _feedback([chosen]))


def _grade_multiple(question: Question, response: dict) -> Grade:
    choices = _by_key(question)
    keys = response.get("choices") or []
    if isinstance(keys, str):
        keys = [keys]
    chosen = [choices[key] for key in dict.fromkeys(map(str, keys)) if key in choices]
    # Sum of the chosen weights, floored at 0: a wrong pick costs what its weight says.
    score = _clamp(sum((choice.fraction for choice in chosen), ZERO))
    return Grade(score, score >= _FULL_MARKS, _feedback(chosen))


def _normalise_text(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def short_answer_matches(pattern: str, given: str) -> bool:
    """Case-insensitive comparison where ``*`` in the accepted answer matches anything.

    No regular expression: a pattern of many ``*`` made a backtracking regex take minutes on
    a long guess. With ``*`` the only wildcard, taking each literal part at its leftmost place
    after the previous one is exact, so this is one left-to-right pass over the guess.
    """
    parts = _normalise_text(pattern).split("*")
    text = _normalise_text(given)
    if len(parts) == 1:
        return text == parts[0]
    first, *middle, last = parts
    if len(first) + len(last) > len(text) or not text.startswith(first):
        return False
    end = len(text) - len(last)
    if not text.endswith(last):
        return False
    position = len(first)
    for part in middle:
        found = text.find(part, position, end)
        if found < 0:
            return False
        position = found + len(part)
    return position <= end


def _best(matching: list[Choice]) -> Grade:
    if not matching:
        return Grade(ZERO, False)
    best = max(matching, key=lambda choice: choice.fraction)
    score = _clamp(best.fraction)
    return Grade(score, score >= _FULL_MARKS, _feedback([best]))


def _grade_short_answer(question: Question, response: dict) -> Grade:
    given = str(response.get("text", ""))
    if not given.strip():
        return Grade(ZERO, False)
    matching = [c for c in question.choices.all() if short_answer_matches(c.text, given)]
    return _best(matching)


def parse_number(text: str) -> Decimal | None:
    """A learner's number ("3.5", "3,5", "-1e3"), or None for anything else (NaN, inf)."""
    cleaned = str(text).strip().replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


# Arithmetic on any finite Decimal a learner can type ("-1e999999999", 10,000 digits) without
# overflow: the widest exponents Decimal allows, and more digits than any tolerance needs.
_WIDE = Context(prec=60, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[])


def _numerical_matches(choice: Choice, number: Decimal) -> bool:
    if choice.value is None:
        # Moodle's "*" answer (GIFT `~#feedback`) catches any number, usually for feedback.
        return choice.text.strip() == "*"
    with localcontext(_WIDE):
        tolerance = Decimal(repr(choice.tolerance or 0)) + Decimal("1e-9")
        return abs(number - Decimal(repr(choice.value))) <= tolerance


def _grade_numerical(question: Question, response: dict) -> Grade:
    number = parse_number(response.get("number", ""))
    if number is None:
        return Grade(ZERO, False)
    return _best([c for c in question.choices.all() if _numerical_matches(c, number)])


def _grade_matching(question: Question, response: dict) -> Grade:
    choices = _by_key(question)
    pairs = [choice for choice in choices.values() if choice.text]
    given = response.get("matches") or {}
    if not pairs or not isinstance(given, dict):
        return Grade(ZERO, False)
    right = 0
    for pair in pairs:
        answer = choices.get(str(given.get(pair.key, "")))
        if answer is not None and answer.match_text == pair.match_text:
            right += 1
    score = _clamp(Decimal(right) / Decimal(len(pairs)))
    return Grade(score, right == len(pairs))


_GRADERS = {
    Question.Type.SINGLE: _grade_one_choice,
    Question.Type.MISSING_WORD: _grade_one_choice,
    Question.Type.TRUE_FALSE: _grade_one_choice,
    Question.Type.MULTIPLE: _grade_multiple,
    Question.Type.SHORT_ANSWER: _grade_short_answer,
    Question.Type.NUMERICAL: _grade_numerical,
    Question.Type.MATCHING: _grade_matching,
}


def response_grade(*, question: Question, response: dict) -> Grade:
    """Score a response between 0 and 1; "correct" means full marks."""
    return _GRADERS[question.qtype](question, response)


def attempt_submit(
    *,
    learner,
    question: Question,
    response: dict,
    context: str = Attempt.Context.EXERCISE,
    context_key: str = "",
) -> AttemptResult:
    """Grade a response and keep it as an attempt, whatever its score. Nothing else: what
    the answer means for the learner's progress is the learning app's business."""
    grade = response_grade(question=question, response=response)
    attempt = attempt_record(
        learner=learner,
        question=question,
        response=response,
        grade=grade,
        context=context,
        context_key=context_key,
    )
    return AttemptResult(attempt, grade)


def attempt_record(
    *,
    learner,
    question: Question,
    response: dict,
    grade: Grade,
    context: str = Attempt.Context.EXERCISE,
    context_key: str = "",
) -> Attempt:
    """Keep a response already graded by ``response_grade`` (for a caller that needed the
    grade before deciding how to record it) as an attempt."""
    attempt = Attempt(
        learner=learner,
        question=question,
        response=response,
        score=grade.score.quantize(Decimal("0.0000001")),
        correct=grade.correct,
        context=context,
        context_key=context_key,
        created_at=timezone.now(),
    )
    _attempt_insert(attempt)
    return attempt


@cache
def _insert_sql(alias: str) -> str:
    ops = connections[alias].ops
    columns = ", ".join(ops.quote_name(f.column) for f in _insert_fields())
    placeholders = ", ".join(["%s"] * len(_insert_fields()))
    table, pk = ops.quote_name(Attempt._meta.db_table), ops.quote_name(Attempt._meta.pk.column)
    return f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) RETURNING {pk}"  # noqa: S608


@cache
def _insert_fields() -> tuple:
    return tuple(f for f in Attempt._meta.concrete_fields if not f.primary_key)


def _attempt_insert(attempt: Attempt) -> None:
    """Save a new attempt with one INSERT, written out: through the ORM's create() the same
    statement cost 80 µs more, a fifth of a wrong answer (issue 14). Every value still goes
    through its own field's conversion for the database (JSON, decimal, time), and the model
    has no save() of its own or signal receivers to skip (tests/test_attempt_insert.py)."""
    alias = router.db_for_write(Attempt)
    connection = connections[alias]
    params = [f.get_db_prep_save(getattr(attempt, f.attname), connection) for f in _insert_fields()]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(alias), params)
        attempt.pk = cursor.fetchone()[0]
    attempt._state.adding, attempt._state.db = False, alias

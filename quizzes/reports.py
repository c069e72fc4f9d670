"""Per-question statistics for authors, computed in the database.

Facility is the share of learners who answered a question right on their first attempt in a
chapter exercise: the classic item-difficulty index, where later attempts would only measure
persistence. Exam answers are not first tries (the exam comes after the chapters) and have
their own index, ``exam_discrimination``. The question admin and the course report count
the same attempts.
Each figure is a correlated subquery, so a list of questions costs one query whatever
its length.
"""

from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf

from .models import Attempt, Question


def _first_try() -> Exists:
    """The condition that an exercise attempt is its learner's first at its question: no
    exercise attempt before it, by time and then by id (on the (learner, question, created_at)
    index, one probe per attempt)."""
    earlier = Attempt.objects.filter(
        question=OuterRef("question"),
        learner=OuterRef("learner"),
        context=Attempt.Context.EXERCISE,
    ).filter(
        Q(created_at__lt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
    )
    return ~Exists(earlier)


def _count(queryset: QuerySet, expression) -> Coalesce:
    """A subquery returning one aggregate for the outer question (0 when there is none)."""
    subquery = queryset.order_by().values("question").annotate(n=expression).values("n")
    return Coalesce(Subquery(subquery, output_field=IntegerField()), Value(0))


def questions_with_stats(queryset: QuerySet[Question]) -> QuerySet[Question]:
    """Annotate attempt_count (every answer, exams included), and over chapter-exercise
    answers only learner_count, first_right_count and facility (0..1 or None)."""
    attempts = Attempt.objects.filter(question=OuterRef("pk"))
    exercise = attempts.filter(context=Attempt.Context.EXERCISE)
    first_right = exercise.filter(correct=True).filter(_first_try())
    return queryset.annotate(
        attempt_count=_count(attempts, Count("pk")),
        learner_count=_count(exercise, Count("learner", distinct=True)),
        first_right_count=_count(first_right, Count("pk")),
    ).annotate(
        facility=Cast(F("first_right_count"), FloatField())
        / NullIf(Cast(F("learner_count"), FloatField()), Value(0.0)),
    )


def first_try_counts(*, question_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per question: (learners who answered it in a chapter exercise, how many of them were
    right on their first try). Exam answers do not count. Each learner has one first try per
    question, so counting first tries counts learners; one query, its cost flat in learners
    (issue 15). An index probe per attempt (``_first_try``) took 63 ms for 50,000 attempts
    where a window function's sort of them took 115-139 ms (bench/RESULTS.md, 2026-12-03)."""
    return {
        row["question_id"]: (row["learners"], row["right"])
        for row in Attempt.objects.filter(
            question_id__in=question_ids, context=Attempt.Context.EXERCISE
        )
        .filter(_first_try())
        .values("question_id")
        .annotate(learners=Count("pk"), right=Count("pk", filter=Q(correct=True)))
        .order_by()
    }


CSV_HEADER = ("learner", "question", "response", "score", "correct", "time")
# Spreadsheets run cells starting with these as formulas.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = " ".join(str(text).split())
    return "'" + text if text.startswith(_FORMULA_START) else text


def _describe_response(question: Question, response: dict) -> str:
    """What the learner answered, in words: responses store opaque choice keys."""
    choices = {choice.key: choice for choice in question.choices.all()}

    def label(key) -> str:
        choice = choices.get(str(key))
        if choice is None:
            return "?"
        return choice.text or choice.match_text or str(choice.value)

    if not isinstance(response, dict):
        return str(response)
    if "choice" in response:
        return label(response["choice"])
    if "choices" in response:
        return "; ".join(label(key) for key in response["choices"] or [])
    if "text" in response:
        return str(response["text"])
    if "number" in response:
        return str(response["number"])
    if "matches" in response and isinstance(response["matches"], dict):
        return "; ".join(
            f"{label(sub)} -> {choices[str(answer)].match_text if str(answer) in choices else '?'}"
            for sub, answer in response["matches"].items()
        )
    return str(response)


def attempts_csv_rows(queryset: QuerySet[Attempt]):
    """One row per attempt for a spreadsheet: who, which question, what, how it scored."""
    yield CSV_HEADER
    attempts = (
        queryset.select_related("learner", "question")
        .prefetch_related("question__choices")
        .order_by("created_at", "pk")
    )
    for attempt in attempts.iterator(chunk_size=1000):
        yield (
            csv_cell(attempt.learner.get_username()),
            csv_cell(str(attempt.question)),
            csv_cell(_describe_response(attempt.question, attempt.response)),
            f"{attempt.score.normalize():f}",
            "yes" if attempt.correct else "no",
            attempt.created_at.isoformat(),
        )


def exam_discrimination(*, question_ids: list[int]) -> dict[int, float]:
    """Upper-minus-lower-third index per question, from final-exam answers.

    Exam sittings (answers sharing a ``context_key``) are ranked by their share of right
    answers; for each question, the share right among sittings in the top third minus that
    in the bottom third. Near 0 (or negative) means the question does not tell those who
    know the course from those who do not. Two queries whatever the number of questions.
    """
    keys = set(
        Attempt.objects.filter(question_id__in=question_ids, context=Attempt.Context.EXAM)
        .values_list("context_key", flat=True)
        .distinct()
    )
    if len(keys) < 3:
        return {}
    totals: dict[str, list[int]] = {}
    answers: dict[tuple[str, int], bool] = {}
    for key, question_id, correct in Attempt.objects.filter(
        context=Attempt.Context.EXAM, context_key__in=keys
    ).values_list("context_key", "question_id", "correct"):
        right, count = totals.get(key, [0, 0])
        totals[key] = [right + correct, count + 1]
        answers[(key, question_id)] = correct
    ranked = sorted(totals, key=lambda key: totals[key][0] / totals[key][1])
    third = max(1, len(ranked) // 3)
    lower, upper = ranked[:third], ranked[-third:]
    result = {}
    for question_id in question_ids:
        up = [answers[(k, question_id)] for k in upper if (k, question_id) in answers]
        low = [answers[(k, question_id)] for k in lower if (k, question_id) in answers]
        if up and low:
            result[question_id] = sum(up) / len(up) - sum(low) / len(low)
    return result

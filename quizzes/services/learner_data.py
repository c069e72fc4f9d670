"""A learner's attempts, for their data export and their erasure."""

from django.db import transaction

from ..models import Attempt, QuestionReport


def attempts_export(*, learner) -> list[dict]:
    """Every attempt with the answer given, oldest first; exam answers say so."""
    rows = (
        Attempt.objects.filter(learner=learner)
        .select_related("question")
        .order_by("created_at", "pk")
    )
    return [
        {
            "question_id": attempt.question_id,
            "question": attempt.question.stem_markdown,
            "course_id": attempt.question.course_id,
            "context": attempt.context,
            "response": attempt.response,
            "correct": attempt.correct,
            "score": float(attempt.score),
            "at": attempt.created_at.isoformat(),
        }
        for attempt in rows.iterator(chunk_size=2000)
    ]


def question_reports_export(*, learner) -> list[dict]:
    """The learner's reports of faulty questions: which question, which reason, when."""
    return [
        {"question_id": question_id, "reason": reason, "at": at.isoformat()}
        for question_id, reason, at in QuestionReport.objects.filter(learner=learner)
        .order_by("created_at", "pk")
        .values_list("question_id", "reason", "created_at")
    ]


@transaction.atomic
def attempts_erase(*, learner) -> int:
    """Delete every attempt of the learner, and their reports of faulty questions; how many
    attempts there were."""
    QuestionReport.objects.filter(learner=learner).delete()
    deleted, _ = Attempt.objects.filter(learner=learner).delete()
    return deleted

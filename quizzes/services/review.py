"""Reviewing the bank: publishing drafts (typically generated ones) or taking questions back."""

from django.db.models import QuerySet

from quizzes.models import Question


def questions_set_status(*, questions: QuerySet[Question], status: str) -> int:
    """Set the status of many questions at once; returns how many changed (visitors'
    cached pages follow: the content queryset's update() marks them stale)."""
    if status not in Question.Status.values:
        raise ValueError(f"unknown status {status!r}")
    # By primary key: the admin's queryset carries report annotations an UPDATE cannot take.
    pks = list(questions.values_list("pk", flat=True))
    return Question.objects.filter(pk__in=pks).exclude(status=status).update(status=status)


def questions_discard(*, questions: QuerySet[Question]) -> int:
    """Delete draft questions (published ones are never discarded this way)."""
    pks = list(questions.filter(status=Question.Status.DRAFT).values_list("pk", flat=True))
    deleted, _ = Question.objects.filter(pk__in=pks).delete()
    return len(pks) if deleted else 0

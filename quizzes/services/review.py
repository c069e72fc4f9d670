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

"""Reviewing the bank: publishing drafts (typically generated ones) or taking questions back."""

from django.db import transaction
from django.db.models import QuerySet

from core.pagecache import content_changed
from quizzes.models import Question


@transaction.atomic
def questions_set_status(*, questions: QuerySet[Question], status: str) -> int:
    """Set the status of many questions at once; returns how many changed.

    A bulk update sends no signals, so visitors' cached pages are invalidated here.
    """
    if status not in Question.Status.values:
        raise ValueError(f"unknown status {status!r}")
    # By primary key: the admin's queryset carries report annotations an UPDATE cannot take.
    pks = list(questions.values_list("pk", flat=True))
    changed = Question.objects.filter(pk__in=pks).exclude(status=status).update(status=status)
    if changed:
        content_changed()
    return changed

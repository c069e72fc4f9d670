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


def questions_discard(*, questions: QuerySet[Question]) -> tuple[int, int]:
    """Delete drafts nobody has answered; (deleted, kept). A draft with attempts (an item a
    re-import moved back to draft) is kept: deleting it would delete learners' answers."""
    drafts = questions.filter(status=Question.Status.DRAFT)
    answered = set(drafts.filter(attempts__isnull=False).values_list("pk", flat=True))
    pks = [pk for pk in drafts.values_list("pk", flat=True) if pk not in answered]
    Question.objects.filter(pk__in=pks).delete()
    return len(pks), len(answered)

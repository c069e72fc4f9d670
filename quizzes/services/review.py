"""Reviewing the bank: publishing drafts (typically generated ones) or taking questions back."""

from django.core import serializers
from django.db import transaction
from django.db.models import Q, QuerySet

from quizzes.models import Choice, Question


def questions_set_status(*, questions: QuerySet[Question], status: str) -> int:
    """Set the status of many questions at once; returns how many changed (visitors'
    cached pages follow: the content queryset's update() marks them stale)."""
    if status not in Question.Status.values:
        raise ValueError(f"unknown status {status!r}")
    # By primary key: the admin's queryset carries report annotations an UPDATE cannot take.
    pks = list(questions.values_list("pk", flat=True))
    changed = Question.objects.filter(pk__in=pks).exclude(status=status)
    if status == Question.Status.PUBLISHED:
        # Published again by an editor: the reason it was sent back has been dealt with.
        return changed.update(status=status, review_reason="")
    return changed.update(status=status)


def questions_discard(*, questions: QuerySet[Question]) -> tuple[int, int]:
    """Delete drafts nobody has answered; (deleted, kept). A draft with attempts (an item a
    re-import moved back to draft) is kept: deleting it would delete learners' answers."""
    drafts = questions.filter(status=Question.Status.DRAFT)
    answered = set(drafts.filter(attempts__isnull=False).values_list("pk", flat=True))
    pks = [pk for pk in drafts.values_list("pk", flat=True) if pk not in answered]
    Question.objects.filter(pk__in=pks).delete()
    return len(pks), len(answered)


def questions_snapshot(*, questions: QuerySet[Question]) -> str:
    """The questions and their choices as JSON (Django's serializer), taken before a discard
    so that an editor can undo it."""
    rows = list(questions)
    choices = list(Choice.objects.filter(question__in=rows))
    return serializers.serialize("json", [*rows, *choices])


@transaction.atomic
def questions_restore(*, snapshot: str) -> int:
    """Put back questions (with their choices and primary keys) that a discard deleted;
    how many questions came back. A question that exists again is left as it is."""
    restored = 0
    existing = set(Question.objects.values_list("pk", flat=True))
    for item in serializers.deserialize("json", snapshot):
        obj = item.object
        if isinstance(obj, Question):
            if obj.pk in existing:
                continue
            restored += 1
        elif isinstance(obj, Choice) and obj.question_id in existing:
            continue
        item.save()
    return restored


def chapters_left_without_exercise(*, questions: QuerySet[Question]) -> list:
    """The chapters whose only exercise (published, or a generated draft planned as the
    exercise) is among these questions: discarding them leaves the chapter without one."""
    chosen = set(questions.values_list("pk", flat=True))
    chapters = {
        q.chapter for q in questions.filter(chapter__isnull=False).select_related("chapter")
    }
    left = []
    for chapter in sorted(chapters, key=lambda c: (c.course_id, c.position)):
        others = Question.objects.filter(chapter=chapter).exclude(pk__in=chosen)
        if not others.filter(
            Q(status=Question.Status.PUBLISHED) | Q(origin=Question.Origin.GENERATED)
        ).exists():
            left.append(chapter)
    return left

"""quizzes' answers to other apps' hooks."""

from django.db.models import Count
from django.dispatch import receiver

from courses.signals import chapters_removal_impact

from .models import Attempt


@receiver(chapters_removal_impact, dispatch_uid="quizzes-chapters-removal-impact")
def _attempts_on_questions(sender, chapter_ids, **kwargs) -> dict[int, dict[str, int]]:
    rows = (
        Attempt.objects.filter(question__chapter_id__in=chapter_ids)
        .values("question__chapter_id")
        .annotate(n=Count("pk"))
        .values_list("question__chapter_id", "n")
    )
    return {chapter_id: {"attempts": n} for chapter_id, n in rows}

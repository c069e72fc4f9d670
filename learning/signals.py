"""learning's answers to other apps' hooks."""

from django.db.models import Count
from django.dispatch import receiver

from courses.signals import chapters_removal_impact

from .models import ChapterProgress


@receiver(chapters_removal_impact, dispatch_uid="learning-chapters-removal-impact")
def _learners_with_progress(sender, chapter_ids, **kwargs) -> dict[int, dict[str, int]]:
    rows = (
        ChapterProgress.objects.filter(chapter_id__in=chapter_ids)
        .values("chapter_id")
        .annotate(n=Count("enrollment__learner_id", distinct=True))
        .values_list("chapter_id", "n")
    )
    return {chapter_id: {"learners": n} for chapter_id, n in rows}

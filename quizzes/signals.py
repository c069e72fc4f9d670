"""quizzes' answers to other apps' hooks."""

from django.db.models import Count
from django.dispatch import receiver

from courses.models import Chapter
from courses.signals import chapters_removal_impact, chapters_rewritten

from .models import Attempt, Question
from .textgen import chapter_passages, source_digest


@receiver(chapters_removal_impact, dispatch_uid="quizzes-chapters-removal-impact")
def _attempts_on_questions(sender, chapter_ids, **kwargs) -> dict[int, dict[str, int]]:
    rows = (
        Attempt.objects.filter(question__chapter_id__in=chapter_ids)
        .values("question__chapter_id")
        .annotate(n=Count("pk"))
        .values_list("question__chapter_id", "n")
    )
    return {chapter_id: {"attempts": n} for chapter_id, n in rows}


@receiver(chapters_rewritten, dispatch_uid="quizzes-draft-items-of-changed-passages")
def _draft_items_of_changed_passages(sender, chapter_ids, **kwargs) -> list[str]:
    """Generated items whose passage changed go back to draft, for an admin to review."""
    questions = list(
        Question.objects.filter(
            source_chapter_id__in=chapter_ids, origin=Question.Origin.GENERATED
        ).exclude(source_digest="")
    )
    if not questions:
        return []
    paragraphs: dict[int, dict[str, str]] = {}
    for chapter in Chapter.objects.filter(pk__in={q.source_chapter_id for q in questions}):
        paragraphs[chapter.pk] = chapter_passages(chapter.body_markdown)
    changed = [
        q
        for q in questions
        if source_digest(q.source_term, paragraphs[q.source_chapter_id]) != q.source_digest
    ]
    Question.objects.filter(
        pk__in=[q.pk for q in changed], status=Question.Status.PUBLISHED
    ).update(status=Question.Status.DRAFT)
    return [
        f"generated question on '{q.source_term}' moved to draft: its passage changed"
        for q in changed
    ]

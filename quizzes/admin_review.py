"""The review screen: generated drafts, and items that learners' answers sent back, grouped
by the passage they come from, to publish, edit or discard in bulk (issue 24, point 6).

Rows are compact (a line for the stem, a line for the options) so that at least ten fit a
1280x800 screen. Filters narrow by course, chapter, kind and why an item is here. Publishing
says how to undo it; discarding asks first, warns when a chapter would be left without an
exercise, and can be undone from the message that follows (the discarded rows are kept in
the editor's session until then).
"""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.models import Chapter, Course

from .admin_generation import SKIPPED_KEY, published_message
from .models import Question
from .services import (
    chapters_left_without_exercise,
    item_statistics,
    questions_discard,
    questions_restore,
    questions_set_status,
    questions_snapshot,
)
from .textgen import TERM_SEPARATOR, chapter_passages

PER_PAGE = 40
UNDO_KEY = "quizzes-review-undo"


def passages_of(questions: list[Question]) -> dict[int, str]:
    """Each item's source passage, read from its chapter as it is now."""
    by_chapter = {
        chapter.pk: chapter_passages(chapter.body_markdown)
        for chapter in Chapter.objects.filter(pk__in={q.source_chapter_id for q in questions})
    }
    return {
        q.pk: "\n\n".join(
            by_chapter.get(q.source_chapter_id, {}).get(term, "")
            for term in q.source_term.split(TERM_SEPARATOR)
        ).strip()
        for q in questions
    }


def _queue(request):
    """The items waiting for review, narrowed by the screen's filters."""
    items = (
        Question.objects.filter(status=Question.Status.DRAFT)
        .filter(Q(origin=Question.Origin.GENERATED) | ~Q(review_reason=""))
        .select_related("course", "source_chapter", "chapter")
    )
    filters = {key: request.GET.get(key, "") for key in ("course", "chapter", "kind", "why")}
    if filters["course"].isdigit():
        items = items.filter(course_id=int(filters["course"]))
    if filters["chapter"].isdigit():
        chapter = int(filters["chapter"])
        items = items.filter(Q(source_chapter_id=chapter) | Q(chapter_id=chapter))
    if filters["kind"] in Question.Type.values:
        items = items.filter(qtype=filters["kind"])
    if filters["why"] == "returned":
        items = items.exclude(review_reason="")
    elif filters["why"] == "new":
        items = items.filter(review_reason="")
    return items, filters


def _undo_message(request, *, action: str, ids: list[int], text: str) -> None:
    request.session[UNDO_KEY] = {"action": action, "ids": ids}
    messages.success(request, text)


def review_view(model_admin, request):
    """The review screen (GET), and publish / discard / confirm / undo (POST)."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    items, filters = _queue(request)
    if request.method == "POST":
        return _act(model_admin, request, items)
    page = Paginator(
        items.order_by("course", "source_chapter__position", "source_term", "position", "pk"),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    questions = list(page.object_list.prefetch_related("choices"))
    passages = passages_of(questions)
    # Learners' figures for the items they sent back (new drafts have none).
    returned = [q for q in questions if q.review_reason]
    figures = item_statistics(questions=returned) if returned else {}
    groups = [
        {
            "chapter": key[0],
            "passage": passages[members[0].pk] or members[0].source_term,
            "rows": [(q, list(q.choices.all()), figures.get(q.pk)) for q in members],
        }
        for key, members in (
            (key, list(group))
            for key, group in groupby(questions, key=lambda q: (q.source_chapter, q.source_term))
        )
    ]
    courses = Course.objects.filter(pk__in=items.values("course_id")).order_by("title")
    chapters = Chapter.objects.filter(
        Q(pk__in=items.values("source_chapter_id")) | Q(pk__in=items.values("chapter_id"))
    ).order_by("course__title", "position")
    undo = request.session.get(UNDO_KEY)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Question._meta,
        "title": _("Review generated drafts"),
        "page": page,
        "groups": groups,
        "filters": filters,
        "courses": courses,
        "chapters": chapters,
        "kinds": Question.Type.choices,
        "select_all": request.GET.get("select") == "all",
        "undo": undo,
        "skipped": request.session.get(SKIPPED_KEY, []),
        "query": request.GET.urlencode(),
        "changelist_url": reverse("admin:quizzes_question_changelist"),
        "review_url": reverse("admin:quizzes_question_review"),
    }
    return TemplateResponse(request, "admin/quizzes/review.html", context)


def _act(model_admin, request, items):
    back = redirect(request.get_full_path())
    if "undo" in request.POST:
        return _undo(model_admin, request, back)
    ids = [int(pk) for pk in request.POST.getlist("question") if pk.isdigit()]
    chosen = items.filter(pk__in=ids)
    if not ids:
        messages.warning(request, _("Tick at least one item first."))
        return back
    if "publish" in request.POST:
        published = list(chosen.values_list("pk", flat=True))
        count = questions_set_status(questions=chosen, status=Question.Status.PUBLISHED)
        _undo_message(request, action="publish", ids=published, text=published_message(count))
        return back
    if "discard" in request.POST or "confirm_discard" in request.POST:
        if not model_admin.has_delete_permission(request):
            raise PermissionDenied
        if "confirm_discard" not in request.POST:
            return TemplateResponse(
                request,
                "admin/quizzes/review_discard.html",
                {
                    **model_admin.admin_site.each_context(request),
                    "opts": Question._meta,
                    "title": _("Discard these drafts?"),
                    "items": list(chosen),
                    "left_without": chapters_left_without_exercise(questions=chosen),
                    "review_url": request.get_full_path(),
                },
            )
        snapshot = questions_snapshot(questions=chosen.filter(attempts__isnull=True))
        count, kept = questions_discard(questions=chosen)
        text = ngettext("Discarded %(count)d draft.", "Discarded %(count)d drafts.", count) % {
            "count": count
        }
        if kept:
            text += " " + ngettext(
                "Kept %(count)d that learners have answered (their answers stay).",
                "Kept %(count)d that learners have answered (their answers stay).",
                kept,
            ) % {"count": kept}
        request.session[UNDO_KEY] = {"action": "discard", "snapshot": snapshot}
        messages.success(request, text)
        return back
    return back


def _undo(model_admin, request, back):
    undo = request.session.pop(UNDO_KEY, None)
    if not undo:
        messages.warning(request, _("There is nothing to undo."))
    elif undo["action"] == "publish":
        count = questions_set_status(
            questions=Question.objects.filter(pk__in=undo["ids"]), status=Question.Status.DRAFT
        )
        messages.success(
            request,
            ngettext(
                "Moved %(count)d question back to draft.",
                "Moved %(count)d questions back to draft.",
                count,
            )
            % {"count": count},
        )
    elif undo["action"] == "discard":
        if not model_admin.has_delete_permission(request):
            raise PermissionDenied
        count = questions_restore(snapshot=undo["snapshot"])
        messages.success(
            request,
            ngettext("Restored %(count)d draft.", "Restored %(count)d drafts.", count)
            % {"count": count},
        )
    return back

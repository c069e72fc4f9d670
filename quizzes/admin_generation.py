"""Generating questions from the admin, and reviewing the drafts it makes.

The course and chapter admins belong to ``courses``, which cannot import quizzes; this
module (loaded by quizzes/admin.py) registers them again with a "Generate questions" action.
Generated items land as drafts; the review screen shows each beside its source passage to
publish, edit or discard in bulk.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from courses.admin import ChapterAdmin, CourseAdmin
from courses.models import Chapter, Course

from .models import Question
from .services import questions_discard, questions_generate, questions_set_status
from .services.generation import GenerationReport
from .textgen import KINDS, TERM_SEPARATOR, chapter_sections

KIND_LABELS = {
    "single": _("Single choice"),
    "matching": _("Matching (4–6 terms of a chapter)"),
    "missingword": _("Missing word"),
    "truefalse": _("True/false"),
}


class GenerateForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        choices=[(kind, KIND_LABELS[kind]) for kind in KINDS],
        initial=list(KINDS),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Generated items are drafts: learners see them once you publish them."),
    )


def report_summary(report: GenerationReport, label: str) -> str:
    per_kind = ", ".join(
        f"{sum(result.made(kind) for result in report.chapters)} {kind}" for kind in KINDS
    )
    made = len(report.created)
    return ngettext(
        "%(label)s: %(made)d draft item (%(per_kind)s); %(existing)d already existed; "
        "%(skipped)d sections skipped.",
        "%(label)s: %(made)d draft items (%(per_kind)s); %(existing)d already existed; "
        "%(skipped)d sections skipped.",
        made,
    ) % {
        "label": label,
        "made": made,
        "per_kind": per_kind,
        "existing": report.existing,
        "skipped": len(report.skipped),
    }


def _generate(modeladmin, request, queryset, *, targets):
    """The action: a form to choose kinds, then the same service as the command."""
    if not request.user.has_perm("quizzes.add_question"):
        raise PermissionDenied
    form = GenerateForm(request.POST if "generate" in request.POST else None)
    if form.is_valid():
        total = 0
        for label, kwargs in targets(queryset):
            report = questions_generate(
                **kwargs, status=Question.Status.DRAFT, kinds=tuple(form.cleaned_data["kinds"])
            )
            total += len(report.created)
            modeladmin.message_user(request, report_summary(report, label), messages.SUCCESS)
            for result in report.chapters:
                if result.nothing_because:
                    modeladmin.message_user(
                        request,
                        _("%(chapter)s: nothing recognised (%(why)s).")
                        % {"chapter": result.chapter, "why": result.nothing_because},
                        messages.WARNING,
                    )
        if total:
            return redirect("admin:quizzes_question_review")
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": _("Generate questions"),
        "form": form,
        "queryset": queryset,
        "action": request.POST.get("action"),
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/quizzes/generate.html", context)


@admin.action(description=_("Generate questions (as drafts)"))
def generate_for_courses(modeladmin, request, queryset: QuerySet[Course]):
    return _generate(
        modeladmin,
        request,
        queryset,
        targets=lambda qs: [(str(course), {"course": course}) for course in qs],
    )


@admin.action(description=_("Generate questions (as drafts)"))
def generate_for_chapters(modeladmin, request, queryset: QuerySet[Chapter]):
    return _generate(
        modeladmin,
        request,
        queryset.select_related("course"),
        targets=lambda qs: [
            (f"{chapter.course} / {chapter}", {"course": chapter.course, "chapter": chapter})
            for chapter in qs
        ],
    )


admin.site.unregister(Course)
admin.site.unregister(Chapter)


@admin.register(Course)
class CourseWithGenerationAdmin(CourseAdmin):
    actions = [*(CourseAdmin.actions or []), generate_for_courses]


@admin.register(Chapter)
class ChapterWithGenerationAdmin(ChapterAdmin):
    actions = [*(ChapterAdmin.actions or []), generate_for_chapters]


def _passages(questions: list[Question]) -> dict[int, str]:
    """Each draft's source passage, read from its chapter as it is now."""
    chapters = {
        chapter.pk: chapter
        for chapter in Chapter.objects.filter(pk__in={q.source_chapter_id for q in questions})
    }
    by_chapter: dict[int, dict[str, str]] = {}
    for pk, chapter in chapters.items():
        _, sections = chapter_sections(chapter.body_markdown)
        by_chapter[pk] = {section.term: section.paragraph for section in sections}
    return {
        q.pk: "\n\n".join(
            by_chapter.get(q.source_chapter_id, {}).get(term, "")
            for term in q.source_term.split(TERM_SEPARATOR)
        ).strip()
        for q in questions
    }


def published_message(count: int) -> str:
    """What the admin is told after publishing questions (the list's action, the review)."""
    return ngettext("Published %(count)d question.", "Published %(count)d questions.", count) % {
        "count": count
    }


def review_view(model_admin, request):
    """Drafts made by the generator, each beside its passage: publish, edit or discard."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    drafts = Question.objects.filter(
        origin=Question.Origin.GENERATED, status=Question.Status.DRAFT
    ).select_related("course", "source_chapter")
    if request.method == "POST":
        ids = [pk for pk in request.POST.getlist("question") if pk.isdigit()]
        chosen = drafts.filter(pk__in=ids)
        if "publish" in request.POST:
            count = questions_set_status(questions=chosen, status=Question.Status.PUBLISHED)
            model_admin.message_user(request, published_message(count))
        elif "discard" in request.POST:
            if not model_admin.has_delete_permission(request):
                raise PermissionDenied
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
            model_admin.message_user(request, text)
        return redirect(request.get_full_path())
    page = Paginator(drafts.order_by("course", "source_chapter", "position", "pk"), 50).get_page(
        request.GET.get("page")
    )
    questions = list(page.object_list.prefetch_related("choices"))
    passages = _passages(questions)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Question._meta,
        "title": _("Review generated drafts"),
        "page": page,
        "rows": [(q, passages[q.pk], list(q.choices.all())) for q in questions],
        "changelist_url": reverse("admin:quizzes_question_changelist"),
    }
    return TemplateResponse(request, "admin/quizzes/review.html", context)

"""Generating questions from the admin, and reviewing the drafts it makes.

The course and chapter admins belong to ``courses``, which cannot import quizzes; this
module (loaded by quizzes/admin.py) registers them again with a "Generate questions" action.
Generated items land as drafts, reviewed on the screen quizzes.admin_review draws.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from courses.admin import ChapterAdmin, CourseAdmin
from courses.models import Chapter, Course

from .models import Question
from .services import questions_generate
from .services.generation import GenerationReport
from .textgen import KINDS

SKIPPED_KEY = "quizzes-generation-skipped"

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
        skipped: list[list[str]] = []
        for label, kwargs in targets(queryset):
            report = questions_generate(
                **kwargs, status=Question.Status.DRAFT, kinds=tuple(form.cleaned_data["kinds"])
            )
            total += len(report.created)
            skipped += [[str(s.chapter), s.heading, s.reason] for s in report.skipped]
            modeladmin.message_user(request, report_summary(report, label), messages.SUCCESS)
            for result in report.chapters:
                if result.nothing_because:
                    modeladmin.message_user(
                        request,
                        _("%(chapter)s: nothing recognised (%(why)s).")
                        % {"chapter": result.chapter, "why": result.nothing_because},
                        messages.WARNING,
                    )
        # The review screen lists what the quality gate refused, with its reasons.
        request.session[SKIPPED_KEY] = skipped[:500]
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


def published_message(count: int) -> str:
    """What the admin is told after publishing questions (the list's action, the review)."""
    return ngettext("Published %(count)d question.", "Published %(count)d questions.", count) % {
        "count": count
    }

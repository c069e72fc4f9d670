import csv
import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.uploads import UploadError, upload_name, uploads_check, uploads_stage
from courses.models import Chapter, Course

from .admin_generation import published_message
from .admin_review import passages_of, review_view
from .formats import FORMATS, FormatError
from .models import Attempt, Choice, Question, QuestionReport
from .reports import attempts_csv_rows, exam_discrimination, questions_with_stats
from .services import item_statistics, questions_audit, questions_import, questions_set_status


class ChoiceInline(admin.TabularInline):
    model = Choice
    fields = ("position", "text", "fraction", "feedback", "match_text", "value", "tolerance")
    ordering = ("position", "pk")
    extra = 0


class ChapterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, chapter):
        return f"{chapter.course.title} — {chapter}"


class QuestionImportForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.all())
    chapter = ChapterChoiceField(
        queryset=Chapter.objects.select_related("course").order_by("course__title", "position"),
        required=False,
        help_text=_("Optional: the imported questions become this chapter's exercise."),
    )
    format = forms.ChoiceField(
        choices=[("", _("From the file name (.gift, .aiken, .aiken.txt)"))]
        + [(fmt, fmt.upper() if fmt == "gift" else fmt.title()) for fmt in FORMATS],
        required=False,
    )
    file = forms.FileField(help_text=_("A GIFT or Aiken file, UTF-8. All questions or none."))

    def clean(self):
        cleaned = super().clean()
        course, chapter = cleaned.get("course"), cleaned.get("chapter")
        if course and chapter and chapter.course_id != course.pk:
            self.add_error("chapter", _("That chapter is not in %(course)s.") % {"course": course})
        if cleaned.get("file"):
            try:
                uploads_check([cleaned["file"]])
            except UploadError as error:
                self.add_error("file", str(error))
        return cleaned


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "qtype",
        "course",
        "chapter",
        "status",
        "origin",
        "attempts_column",
        "facility_column",
        "discrimination_column",
        "review_reason",
    )
    list_filter = ("status", "origin", "qtype", "course", "chapter")
    list_select_related = ("course", "chapter")
    search_fields = ("name", "stem_markdown", "category", "course__title")
    fields = (
        "course",
        "chapter",
        "name",
        "category",
        "qtype",
        "stem_markdown",
        "general_feedback",
        "status",
        "origin",
        "position",
        "review_reason",
        "source_passage",
        "statistics",
    )
    readonly_fields = ("review_reason", "source_passage", "statistics")
    inlines = [ChoiceInline]
    actions = ["publish", "move_to_draft", "audit"]

    @admin.display(description=_("Source passage"))
    def source_passage(self, question):
        """The passage a generated item comes from, as the chapter has it now: edited beside
        the text it asks about."""
        if question.pk is None or not question.source_chapter_id:
            return "—"
        return passages_of([question]).get(question.pk) or question.source_term or "—"

    def response_change(self, request, obj):
        # Saved from the review screen's "Edit": back to the review, not to the list.
        if request.GET.get("from") == "review" and "_continue" not in request.POST:
            self.message_user(request, _("Saved. Back to the review."))
            return redirect("admin:quizzes_question_review")
        return super().response_change(request, obj)

    @admin.display(description=_("Learners' answers"))
    def statistics(self, question):
        """Per-option pick rates (first tries and exam answers), the top third's picks,
        facility, discrimination and reports: what decides whether the item stays."""
        if question.pk is None:
            return "—"
        return statistics_html(item_statistics(questions=[question])[question.pk])

    @admin.action(
        description=_("Send back to review what learners' answers or reports flag"),
        permissions=["change"],
    )
    def audit(self, request, queryset):
        courses = Course.objects.filter(pk__in=queryset.values("course_id"))
        moved = [pair for course in courses for pair in questions_audit(course=course)]
        self.message_user(
            request,
            ngettext(
                "%(count)d question went back to review.",
                "%(count)d questions went back to review.",
                len(moved),
            )
            % {"count": len(moved)},
        )

    def get_queryset(self, request):
        return questions_with_stats(super().get_queryset(request))

    @admin.action(description=_("Publish selected questions"), permissions=["change"])
    def publish(self, request, queryset):
        changed = questions_set_status(questions=queryset, status=Question.Status.PUBLISHED)
        self.message_user(request, published_message(changed))

    @admin.action(description=_("Move selected questions to draft"), permissions=["change"])
    def move_to_draft(self, request, queryset):
        changed = questions_set_status(questions=queryset, status=Question.Status.DRAFT)
        self.message_user(
            request,
            ngettext(
                "Moved %(count)d question to draft.", "Moved %(count)d questions to draft.", changed
            )
            % {"count": changed},
        )

    @admin.display(description=_("Attempts"), ordering="attempt_count")
    def attempts_column(self, question):
        return question.attempt_count

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # One computation for the page's questions (sync workers: one request at a time).
        self._discrimination = exam_discrimination(
            question_ids=[question.pk for question in changelist.result_list]
        )
        return changelist

    @admin.display(description=_("Discrimination (exam, upper − lower third)"))
    def discrimination_column(self, question):
        value = getattr(self, "_discrimination", {}).get(question.pk)
        if value is None:
            return "—"
        return f"{value:+.2f}" + (" (weak)" if value < 0.2 else "")

    @admin.display(description=_("Facility (first try)"), ordering="facility")
    def facility_column(self, question):
        if question.facility is None:
            return "—"
        return f"{question.facility:.0%} of {question.learner_count}"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="quizzes_question_import",
            ),
            path(
                "review/",
                self.admin_site.admin_view(lambda request: review_view(self, request)),
                name="quizzes_question_review",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = QuestionImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            if self._import(request, form):
                return redirect("admin:quizzes_question_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import questions"),
            "intro": _(
                "Reads GIFT and Aiken files as Moodle does. A file with an error is refused as a "
                "whole: the message names the line. Essay and description items are skipped "
                "with a warning."
            ),
            "form": form,
        }
        return TemplateResponse(request, "admin/import_form.html", context)

    def _import(self, request, form) -> bool:
        upload = form.cleaned_data["file"]
        course, chapter = form.cleaned_data["course"], form.cleaned_data["chapter"]
        name = upload_name(upload)
        with tempfile.TemporaryDirectory() as folder:
            # Saved under its own name so that errors and format detection use that name.
            [target] = uploads_stage([upload], Path(folder))
            try:
                report = questions_import(
                    path=target,
                    course=course,
                    chapter=chapter,
                    fmt=form.cleaned_data["format"] or None,
                )
            except FormatError as error:
                messages.error(request, _("Nothing imported: %(error)s") % {"error": error})
                return False
        numbers = {"count": len(report.created), "course": course, "skipped": len(report.warnings)}
        if report.warnings:
            summary = _("Imported %(count)d questions into %(course)s (%(skipped)d skipped).")
        else:
            summary = _("Imported %(count)d questions into %(course)s.")
        messages.success(request, summary % numbers)
        for warning in report.warnings:
            messages.warning(request, f"{name} {warning}")
        return True


def _csv_response(queryset, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerows(attempts_csv_rows(queryset))
    return response


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ("created_at", "learner", "question", "score", "correct")
    list_filter = ("correct", "question__course", "question__qtype")
    list_select_related = ("learner", "question")
    search_fields = (
        "learner__username",
        "learner__full_name",
        "question__name",
        "question__stem_markdown",
    )
    date_hierarchy = "created_at"
    actions = ["export_csv"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Export attempts as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return _csv_response(queryset, "attempts.csv")

    def get_urls(self):
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="quizzes_attempt_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """Every attempt the changelist shows with its current filters, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return _csv_response(changelist.get_queryset(request), "attempts.csv")

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "export_url": reverse("admin:quizzes_attempt_export")
            + (f"?{request.GET.urlencode()}" if request.GET else ""),
        }
        return super().changelist_view(request, extra_context)


def statistics_html(stats) -> str:
    """An item's figures as a small table: one row per option."""
    facility = "—" if stats.facility is None else f"{stats.facility:.0%} of {stats.first_tries}"
    discrimination = "—" if stats.discrimination is None else f"{stats.discrimination:+.2f}"
    rows = format_html_join(
        "",
        "<tr><td>{}{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                text,
                " ✓" if text == stats.key else "",
                f"{share:.0%}",
                f"{stats.top_picks.get(text, 0):.0%}" if stats.top_answers else "—",
            )
            for text, share in stats.picks.items()
        ),
    )
    return format_html(
        "<p>{}: {} · {}: {} · {}: {}</p>"
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
        _("Facility (first try)"),
        facility,
        _("Discrimination"),
        discrimination,
        _("Reports"),
        stats.reports,
        _("Option"),
        _("Picked"),
        _("Picked by the top third"),
        rows,
    )


@admin.register(QuestionReport)
class QuestionReportAdmin(admin.ModelAdmin):
    """Learners' reports of faulty questions: read here, acted on in the question."""

    list_display = ("created_at", "question", "reason", "learner")
    list_filter = ("reason", "question__course")
    list_select_related = ("question", "learner")
    search_fields = ("question__stem_markdown",)
    readonly_fields = ("question", "learner", "reason", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

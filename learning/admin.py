import csv

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from django.template.response import TemplateResponse

from quizzes.reports import csv_cell as _cell

from .exam import ExamError, exam_grant
from .models import ChapterProgress, Enrollment, ExamAttempt, ExamGrant


class ChapterProgressInline(admin.TabularInline):
    model = ChapterProgress
    fields = ("chapter", "read_at", "passed_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("chapter")


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("learner", "course", "started_at", "completed_at")
    list_filter = ("course", ("completed_at", admin.EmptyFieldListFilter))
    list_select_related = ("learner", "course")
    search_fields = ("learner__username", "learner__full_name", "course__title")
    readonly_fields = ("learner", "course", "started_at", "completed_at")
    inlines = [ChapterProgressInline]

    def has_add_permission(self, request):
        return False


class GrantForm(forms.Form):
    reason = forms.CharField(
        max_length=300, help_text="Recorded with your name, e.g. 'network failure mid-exam'."
    )


@admin.register(ExamAttempt)
class ExamAttemptAdmin(admin.ModelAdmin):
    list_display = ("learner", "course", "started_at", "submitted_at", "score_column", "passed")
    list_filter = ("course", "passed", ("submitted_at", admin.EmptyFieldListFilter))
    list_select_related = ("learner", "course")
    search_fields = ("learner__username", "learner__full_name", "course__title")
    readonly_fields = [field.name for field in ExamAttempt._meta.fields]
    date_hierarchy = "started_at"
    actions = ["export_csv", "grant_attempt"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Score", ordering="score")
    def score_column(self, attempt):
        return "—" if attempt.score is None else f"{attempt.score_percent}%"

    @admin.action(description="Export selected attempts as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="exam-attempts.csv"'
        writer = csv.writer(response)
        writer.writerow(
            ["learner", "course", "started", "submitted", "score %", "passed", "questions"]
        )
        for a in queryset.select_related("learner", "course"):
            writer.writerow(
                [
                    _cell(a.learner.username),
                    _cell(a.course.slug),
                    a.started_at.isoformat(),
                    a.submitted_at.isoformat() if a.submitted_at else "",
                    "" if a.score is None else a.score_percent,
                    {True: "yes", False: "no", None: ""}[a.passed],
                    " ".join(map(str, a.question_ids)),
                ]
            )
        return response

    def has_grant_permission(self, request) -> bool:
        return request.user.has_perm("learning.add_examgrant")

    @admin.action(description="Grant one more attempt (within 24 hours)", permissions=["grant"])
    def grant_attempt(self, request, queryset):
        form = GrantForm(request.POST if "grant" in request.POST else None)
        if form.is_valid():
            pairs = {(a.learner, a.course) for a in queryset.select_related("learner", "course")}
            for learner, course in pairs:
                try:
                    exam_grant(
                        learner=learner,
                        course=course,
                        granted_by=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                except ExamError as error:
                    self.message_user(request, str(error), messages.ERROR)
                    return None
            self.message_user(request, f"Granted one more attempt to {len(pairs)} learner(s).")
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Grant one more exam attempt",
            "form": form,
            "queryset": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/learning/grant.html", context)


@admin.register(ExamGrant)
class ExamGrantAdmin(admin.ModelAdmin):
    list_display = ("learner", "course", "granted_by", "reason", "created_at")
    list_select_related = ("learner", "course", "granted_by")
    readonly_fields = ("learner", "course", "granted_by", "reason", "created_at")

    def has_add_permission(self, request):
        return False

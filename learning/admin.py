import csv
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from courses.models import Course
from quizzes.reports import csv_cell as _cell

from . import reports
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


@dataclass(frozen=True)
class Bar:
    """One bar of a chart drawn on the server: its share of the widest, in percent."""

    value: int
    percent: float
    tone: str  # a CSS class: bar-reached, bar-read, ...
    label: str


_TONES = {
    "reached": _("reached"),
    "read": _("read"),
    "passed": _("exercise passed"),
    "facility": _("facility %"),
    "exam": _("attempts"),
}


def _bars(values: list[int | None], maximum: int, tones: tuple[str, ...]) -> list[Bar]:
    return [
        Bar(value or 0, 100 * (value or 0) / maximum if maximum else 0, tone, str(_TONES[tone]))
        for value, tone in zip(values, tones, strict=True)
        if value is not None
    ]


_CSV_TABLES = ("summary", "funnel", "exercises", "exam")


def _csv(report: reports.CourseReport, table: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{report.course.slug}-{table}.csv"'
    writer = csv.writer(response)
    if table == "summary":
        writer.writerow(["enrolled", "active 7 days", "active 30 days", "completed",
                         "completion rate", "median days to complete"])  # fmt: skip
        rate = report.completion_rate
        median = report.median_days_to_complete
        writer.writerow([
            report.enrolled, report.active_7, report.active_30, report.completed,
            "" if rate is None else f"{rate:.4f}", "" if median is None else f"{median:.2f}",
        ])  # fmt: skip
    elif table == "funnel":
        writer.writerow(["position", "chapter", "reached", "read", "passed"])
        for row in report.funnel:
            passed = "" if row.passed is None else row.passed
            writer.writerow([row.position, _cell(row.title), row.reached, row.read, passed])
    elif table == "exercises":
        writer.writerow(["question", "chapter", "stem", "learners", "right first try", "facility"])
        for row in report.exercises:
            facility = "" if row.facility is None else f"{row.facility:.4f}"
            writer.writerow([
                row.question_id, _cell(row.chapter), _cell(row.stem), row.learners,
                row.first_try_right, facility,
            ])  # fmt: skip
    else:
        writer.writerow(["score from %", "attempts"])
        writer.writerows(report.exam_bands)
    return response


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    change_list_template = "admin/learning/enrollment/change_list.html"
    list_display = ("learner", "course", "started_at", "completed_at")
    list_filter = ("course", ("completed_at", admin.EmptyFieldListFilter))
    list_select_related = ("learner", "course")
    search_fields = ("learner__username", "learner__full_name", "course__title")
    readonly_fields = ("learner", "course", "started_at", "completed_at")
    inlines = [ChapterProgressInline]

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        own = [
            path(
                "reports/",
                self.admin_site.admin_view(self.reports_view),
                name="learning_enrollment_reports",
            ),
            path(
                "reports/<int:course_id>/",
                self.admin_site.admin_view(self.report_view),
                name="learning_enrollment_report",
            ),
        ]
        return own + super().get_urls()

    def reports_view(self, request):
        """Every course with its headline figures; one report page each."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = Course.objects.annotate(
            enrolled=Count("enrollments", distinct=True),
            completed=Count(
                "enrollments", filter=Q(enrollments__completed_at__isnull=False), distinct=True
            ),
        ).order_by("title")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Course reports"),
            "rows": rows,
        }
        return TemplateResponse(request, "admin/learning/reports.html", context)

    def report_view(self, request, course_id: int):
        """One course: enrolled, active, completed, the chapter funnel, each exercise's
        first-try facility, the exam's scores; charts drawn here, CSV for each table."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        course = get_object_or_404(Course, pk=course_id)
        report = reports.course_report(course=course)
        table = request.GET.get("csv")
        if table in _CSV_TABLES:
            return _csv(report, table)
        widest = max((row.reached for row in report.funnel), default=0)
        funnel = [
            (row, _bars([row.reached, row.read, row.passed], widest, ("reached", "read", "passed")))
            for row in report.funnel
        ]
        busiest = max((count for _, count in report.exam_bands), default=0)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Report: %(course)s") % {"course": course.title},
            "report": report,
            "funnel": funnel,
            "exercises": [
                (
                    row,
                    _bars(
                        [round(100 * row.facility) if row.facility is not None else None],
                        100,
                        ("facility",),
                    ),
                )  # fmt: skip
                for row in report.exercises
            ],
            "exam": [
                (low, count, _bars([count], busiest, ("exam",))) for low, count in report.exam_bands
            ],
        }
        return TemplateResponse(request, "admin/learning/course_report.html", context)


class GrantForm(forms.Form):
    reason = forms.CharField(
        max_length=300, help_text=_("Recorded with your name, e.g. 'network failure mid-exam'.")
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

    @admin.display(description=_("Score"), ordering="score")
    def score_column(self, attempt):
        return "—" if attempt.score is None else f"{attempt.score_percent}%"

    @admin.action(description=_("Export selected attempts as CSV"), permissions=["view"])
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

    @admin.action(description=_("Grant one more attempt (within 24 hours)"), permissions=["grant"])
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
            self.message_user(
                request,
                ngettext(
                    "Granted one more attempt to %(count)d learner.",
                    "Granted one more attempt to %(count)d learners.",
                    len(pairs),
                )
                % {"count": len(pairs)},
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Grant one more exam attempt"),
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

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from core.uploads import UploadError, uploads_check

from .imports import course_import_queue
from .models import Chapter, Course, CourseImport
from .services import ARTICLE_SUFFIXES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input, as Django's documentation shows."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ARTICLE_SUFFIXES)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class CourseImportForm(forms.Form):
    articles = MultipleFileField(
        help_text=_(
            "One chapter per file, in file-name order: .md (front matter 'title:' or a "
            "'# Title') or scraped .txt (store badges, adverts and embedded exercises are removed)."
        )
    )
    slug = forms.SlugField(
        required=False,
        help_text=_(
            "Importing again with the same slug updates that course in place; files "
            "missing from the new upload remove their chapters."
        ),
    )
    title = forms.CharField(max_length=200, required=False)
    remove_missing = forms.BooleanField(
        label=_("Remove missing chapters"),
        required=False,
        help_text=_(
            "Chapters whose file is not in this upload are removed, with learners' "
            "progress on them. Without this, such an import is refused and lists what would be "
            "lost. Completed courses and certificates are kept either way."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and not cleaned.get("title"):
            raise forms.ValidationError(_("Give the course a slug or a title."))
        try:
            uploads_check(cleaned.get("articles") or [])
        except UploadError as error:
            self.add_error("articles", str(error))
        return cleaned


class ChapterInline(admin.TabularInline):
    model = Chapter
    fields = ("position", "title", "slug", "reading_minutes", "word_count")
    readonly_fields = ("reading_minutes", "word_count")
    ordering = ("position",)
    show_change_link = True
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "slug",
        "language",
        "published",
        "chapter_count",
        "total_minutes",
        "completion_rule",
        "updated_at",
    )
    list_filter = ("published", "language", "completion_rule")
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [ChapterInline]
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "language", "published")}),
        (
            _("Completion"),
            {
                "fields": ("completion_rule", "pass_mark_percent"),
                "description": _(
                    "What a learner must do to complete the course and receive a certificate."
                ),
            },
        ),
        (
            _("Final exam"),
            {
                "fields": (
                    "exam_enabled",
                    "exam_questions",
                    "exam_pass_percent",
                    "exam_attempts_per_day",
                    "exam_cooldown_minutes",
                    "exam_time_limit_minutes",
                    "exam_opens",
                    "exam_small_bank_accepted",
                ),
                "description": _(
                    "A random draw from the course's published questions, in proportion to each "
                    "chapter's share. With the exam on, completing the course also needs it passed."
                ),
            },
        ),
    )

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="courses_course_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = CourseImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            # The upload is kept and imported by the task worker: the request returns at
            # once, whatever the size (issue 26), and the import's page follows it.
            job = course_import_queue(
                uploads=form.cleaned_data["articles"],
                slug=form.cleaned_data["slug"],
                title=form.cleaned_data["title"],
                remove_missing=form.cleaned_data["remove_missing"],
                created_by=request.user,
            )
            return redirect("admin:courses_courseimport_change", job.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a course from articles"),
            "intro": _(
                "Upload the articles of one course. A file that cannot be read (binary, not "
                "UTF-8, empty, nested too deeply) refuses the whole upload, naming the file; "
                "nothing is written. The import runs in the background; its page shows how "
                "far it got and what it did."
            ),
            "form": form,
        }
        return TemplateResponse(request, "admin/import_form.html", context)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _chapters=Count("chapters", distinct=True),
                _minutes=Sum("chapters__reading_minutes"),
            )
        )

    @admin.display(description=_("Chapters"), ordering="_chapters")
    def chapter_count(self, course):
        return course._chapters

    @admin.display(description=_("Minutes"), ordering="_minutes")
    def total_minutes(self, course):
        return course._minutes or 0


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ("title", "course", "position", "reading_minutes", "word_count")
    list_filter = ("course",)
    list_select_related = ("course",)
    search_fields = ("title", "slug", "body_markdown", "course__title")
    ordering = ("course", "position")
    readonly_fields = ("word_count", "reading_minutes")
    prepopulated_fields = {"slug": ("title",)}
    fields = (
        "course",
        "position",
        "title",
        "slug",
        "body_markdown",
        "word_count",
        "reading_minutes",
    )


@admin.register(CourseImport)
class CourseImportAdmin(admin.ModelAdmin):
    """Each upload's import: how far it got, what it did, or why nothing was imported. Read
    only; new imports start from "Import a course from articles"."""

    list_display = ("created_at", "slug", "status", "progress", "created_by", "course")
    list_filter = ("status",)
    readonly_fields = (
        "status",
        "progress",
        "slug",
        "title",
        "remove_missing",
        "course",
        "summary",
        "notes_list",
        "error",
        "created_by",
        "created_at",
        "finished_at",
    )
    fields = readonly_fields
    change_form_template = "admin/courses/courseimport/change_form.html"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("courses.add_course")

    @admin.display(description=_("Progress"))
    def progress(self, job: CourseImport) -> str:
        return _("%(done)s of %(total)s files read (%(percent)s%%)") % {
            "done": job.files_done,
            "total": job.files_total,
            "percent": job.percent,
        }

    @admin.display(description=_("Notes"))
    def notes_list(self, job: CourseImport) -> str:
        return "\n".join(job.notes) or "—"

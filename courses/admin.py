from django.contrib import admin
from django.db.models import Count, Sum

from .models import Chapter, ChapterProgress, Course, Enrollment


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
        "published",
        "chapter_count",
        "total_minutes",
        "completion_rule",
        "updated_at",
    )
    list_filter = ("published", "completion_rule")
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [ChapterInline]
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "published")}),
        (
            "Completion",
            {
                "fields": ("completion_rule", "pass_mark_percent"),
                "description": "What a learner must do to complete the course and "
                "receive a certificate.",
            },
        ),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _chapters=Count("chapters", distinct=True),
                _minutes=Sum("chapters__reading_minutes"),
            )
        )

    @admin.display(description="Chapters", ordering="_chapters")
    def chapter_count(self, course):
        return course._chapters

    @admin.display(description="Minutes", ordering="_minutes")
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

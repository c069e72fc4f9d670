from django.contrib import admin

from .models import ChapterProgress, Enrollment


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

from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self):
        from .models import Chapter, Course
        from .pagecache import invalidate_on_change

        invalidate_on_change(Course, Chapter)

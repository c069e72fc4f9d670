from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self):
        from core.pagecache import track_content

        from .models import Chapter, Course

        track_content(Course, Chapter)

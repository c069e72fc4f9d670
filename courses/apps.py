from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self):
        from .models import Chapter, Course
        from .pagecache import content_changed

        for model in (Course, Chapter):
            post_save.connect(content_changed, sender=model, dispatch_uid=f"pages-{model.__name__}")
            post_delete.connect(
                content_changed, sender=model, dispatch_uid=f"pages-del-{model.__name__}"
            )

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class QuizzesConfig(AppConfig):
    name = "quizzes"

    def ready(self):
        from courses.pagecache import content_changed

        from .models import Choice, Question

        for model in (Question, Choice):
            post_save.connect(content_changed, sender=model, dispatch_uid=f"pages-{model.__name__}")
            post_delete.connect(
                content_changed, sender=model, dispatch_uid=f"pages-del-{model.__name__}"
            )

from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"

    def ready(self):
        from core.pagecache import invalidate_on_change

        from . import signals  # noqa: F401 - connects the receivers
        from .models import Choice, Question

        invalidate_on_change(Question, Choice)

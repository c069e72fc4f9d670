from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"

    def ready(self):
        from core.pagecache import track_content

        from . import signals  # noqa: F401 - connects the receivers
        from .models import Choice, Question

        track_content(Question, Choice)

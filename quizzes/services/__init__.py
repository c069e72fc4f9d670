"""The quizzes app's front door: other apps, views, admin and commands call these."""

from .generation import questions_generate
from .grading import AttemptResult, attempt_submit, response_grade
from .transfer import questions_export, questions_import

__all__ = [
    "AttemptResult",
    "attempt_submit",
    "questions_export",
    "questions_generate",
    "questions_import",
    "response_grade",
]

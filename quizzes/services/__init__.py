"""The quizzes app's front door: other apps, views, admin and commands call these."""

from .generation import questions_generate
from .grading import AttemptResult, Grade, attempt_record, attempt_submit, response_grade
from .learner_data import attempts_erase, attempts_export, question_reports_export
from .quality import (
    ItemStatistics,
    item_statistics,
    question_report,
    question_send_to_review,
    questions_audit,
    review_reasons,
)
from .review import (
    chapters_left_without_exercise,
    questions_discard,
    questions_restore,
    questions_set_status,
    questions_snapshot,
)
from .transfer import questions_export, questions_import

__all__ = [
    "AttemptResult",
    "Grade",
    "ItemStatistics",
    "item_statistics",
    "question_report",
    "question_send_to_review",
    "question_reports_export",
    "questions_audit",
    "review_reasons",
    "attempt_record",
    "attempt_submit",
    "attempts_erase",
    "chapters_left_without_exercise",
    "attempts_export",
    "questions_discard",
    "questions_export",
    "questions_generate",
    "questions_import",
    "questions_restore",
    "questions_set_status",
    "questions_snapshot",
    "response_grade",
]

"""A learner's data in their hands: "Download my data" and "Delete my account".

Each app hands over or erases what it owns (accounts the account, quizzes the attempts,
certificates the certificates); this module assembles the export and runs the erasure in
order, in one transaction, for the profile page and for the admin's commands alike.
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import AccountErasure
from accounts.services import (
    account_erase,
    account_logins_export,
    account_profile_export,
    admin_log_forget,
)
from certificates.models import Certificate
from certificates.selectors import certificates_export
from certificates.services import certificate_withdraw
from quizzes.models import Attempt
from quizzes.services import attempts_erase, attempts_export, question_reports_export

from .models import ChapterProgress, Enrollment, ExamAttempt, ExamGrant, ReviewCard

EXPORT_FORMAT = "chapterwise.learner-data"
EXPORT_VERSION = 1


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _enrollments(learner) -> list[dict]:
    progress: dict[int, list[dict]] = {}
    for row in (
        ChapterProgress.objects.filter(enrollment__learner=learner)
        .select_related("chapter")
        .order_by("enrollment_id", "chapter__position")
    ):
        progress.setdefault(row.enrollment_id, []).append(
            {
                "chapter": row.chapter.title,
                "position": row.chapter.position,
                "read_at": _iso(row.read_at),
                "passed_at": _iso(row.passed_at),
            }
        )
    return [
        {
            "course": enrollment.course.title,
            "course_slug": enrollment.course.slug,
            "started_at": _iso(enrollment.started_at),
            "completed_at": _iso(enrollment.completed_at),
            "chapters": progress.get(enrollment.pk, []),
        }
        for enrollment in Enrollment.objects.filter(learner=learner)
        .select_related("course")
        .order_by("started_at", "pk")
    ]


def _exam_attempts(learner) -> list[dict]:
    return [
        {
            "course": attempt.course.title,
            "started_at": _iso(attempt.started_at),
            "submitted_at": _iso(attempt.submitted_at),
            "question_ids": attempt.question_ids,
            "score_percent": round(float(attempt.score) * 100)
            if attempt.score is not None
            else None,
            "passed": attempt.passed,
        }
        for attempt in ExamAttempt.objects.filter(learner=learner)
        .select_related("course")
        .order_by("started_at", "pk")
    ]


def learner_data_export(*, learner) -> dict:
    """Everything kept about the learner, in one versioned document."""
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "profile": account_profile_export(user=learner),
        "logins": account_logins_export(user=learner),
        "enrollments": _enrollments(learner),
        "attempts": attempts_export(learner=learner),
        "question_reports": question_reports_export(learner=learner),
        "exam_attempts": _exam_attempts(learner),
        "exam_grants": [
            {"course": grant.course.title, "reason": grant.reason, "at": _iso(grant.created_at)}
            for grant in ExamGrant.objects.filter(learner=learner).select_related("course")
        ],
        "review_cards": [
            {
                "course": card.course.title,
                "question_id": card.question_id,
                "first_try_right": card.first_try_right,
                "due": _iso(card.due),
                "reviews": card.reviews,
                "reviews_right": card.reviews_right,
                "last_reviewed_at": _iso(card.last_reviewed_at),
            }
            for card in ReviewCard.objects.filter(learner=learner)
            .select_related("course")
            .order_by("pk")
        ],
        "certificates": certificates_export(learner=learner),
    }


@transaction.atomic
def learner_erase(*, learner, via: str, by: str = "") -> AccountErasure:
    """Erase the learner: each certificate withdrawn (its name and PDF gone, the verify page
    and the status list say so), attempts, progress, exam attempts, the admin log's entries
    about them, the sessions and the account deleted. What stays is an ``AccountErasure`` row
    with counts and no personal data."""
    admin_log_forget(
        objects={
            model: list(model.objects.filter(**{field: learner}).values_list("pk", flat=True))
            for model, field in (
                (Certificate, "learner"),
                (Enrollment, "learner"),
                (ExamAttempt, "learner"),
                (ExamGrant, "learner"),
                (Attempt, "learner"),
                (ChapterProgress, "enrollment__learner"),
            )
        }
    )
    certificates = list(Certificate.objects.filter(learner=learner))
    for certificate in certificates:
        certificate_withdraw(certificate=certificate)
    attempts = attempts_erase(learner=learner)
    ExamGrant.objects.filter(learner=learner).delete()
    ReviewCard.objects.filter(learner=learner).delete()
    ExamAttempt.objects.filter(learner=learner).delete()
    Enrollment.objects.filter(learner=learner).delete()  # its progress rows with it
    return account_erase(
        user=learner,
        via=via,
        by=by,
        certificates_withdrawn=len(certificates),
        attempts_deleted=attempts,
    )

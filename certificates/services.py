"""Issuing certificates. Rendering, revocation and credentials build on these."""

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from courses.models import Enrollment

from . import codes
from .models import Certificate


def certificate_issue(*, enrollment: Enrollment) -> Certificate | None:
    """The certificate for a completed enrollment, created the first time it is asked for.

    Returns None while the course is not complete, or while the learner has no full
    name: a certificate is never printed without one. ``certificates_issue_pending``
    issues those once the learner adds a name.
    """
    if enrollment.completed_at is None:
        return None
    existing = Certificate.objects.filter(
        learner_id=enrollment.learner_id, course_id=enrollment.course_id
    ).first()
    if existing is not None:
        return existing
    learner = enrollment.learner
    name = (learner.full_name or "").strip()
    if not name:
        return None
    course = enrollment.course
    minutes = course.chapters.aggregate(total=Sum("reading_minutes"))["total"] or 0
    try:
        # Two requests completing the course at the same moment both get here; the
        # unique (learner, course) constraint lets one insert win, the other reads it.
        with transaction.atomic():
            return Certificate.objects.create(
                code=codes.new_code(),
                learner=learner,
                course=course,
                learner_name=name,
                course_title=course.title,
                completed_on=timezone.localdate(enrollment.completed_at),
                reading_minutes=minutes,
            )
    except IntegrityError:
        return Certificate.objects.get(learner_id=learner.pk, course_id=course.pk)


def certificates_issue_pending(*, learner) -> list[Certificate]:
    """Issue what was held back for want of a name; called when the learner saves one."""
    pending = (
        Enrollment.objects.filter(learner=learner, completed_at__isnull=False)
        .exclude(course__certificates__learner=learner)
        .select_related("course", "learner")
    )
    issued = [certificate_issue(enrollment=enrollment) for enrollment in pending]
    return [certificate for certificate in issued if certificate is not None]

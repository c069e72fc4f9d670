"""Reads the certificate pages need."""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import QuerySet

from .models import Certificate


def certificates_of(*, learner) -> QuerySet[Certificate]:
    return Certificate.objects.filter(learner=learner).order_by("-issued_at", "-pk")


def share_links(*, certificate: Certificate) -> dict[str, str]:
    """LinkedIn's add-to-profile link, prefilled, and the public verify URL to copy."""
    linkedin = "https://www.linkedin.com/profile/add?" + urlencode(
        {
            "startTask": "CERTIFICATION_NAME",
            "name": certificate.course_title,
            "organizationName": settings.CERTIFICATE_ISSUER_NAME,
            "issueYear": certificate.completed_on.year,
            "issueMonth": certificate.completed_on.month,
            "certUrl": certificate.verify_url(),
            "certId": certificate.display_code,
        }
    )
    return {"verify_url": certificate.verify_url(), "linkedin": linkedin}


def certificates_by_course(*, learner, course_ids: list[int]) -> dict[int, Certificate]:
    """This learner's certificates for these courses, in one query."""
    return {
        certificate.course_id: certificate
        for certificate in Certificate.objects.filter(learner=learner, course_id__in=course_ids)
    }


def certificates_export(*, learner) -> list[dict]:
    """The learner's certificates as they print, for "Download my data"."""
    return [
        {
            "id": certificate.display_code,
            "course": certificate.course_title,
            "name": certificate.learner_name,
            "completed_on": certificate.completed_on.isoformat(),
            "issued_at": certificate.issued_at.isoformat(),
            "exam_score": certificate.exam_score,
            "language": certificate.language,
            "revoked_at": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
            "verify_url": certificate.verify_url(),
        }
        for certificate in certificates_of(learner=learner)
    ]

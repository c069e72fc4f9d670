"""Issuing certificates. Rendering, revocation and credentials build on these."""

import logging
import re
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.fields.files import FieldFile
from django.utils import timezone, translation

from core.text import reading_time, supported_language
from courses.models import Course

from . import codes, pdf, statuslist
from .models import Certificate, CertificateEvent
from .pdf import CertificateContent

logger = logging.getLogger(__name__)


class CertificateError(Exception):
    """A certificate action that cannot be done; the message says why, in one line."""


# A list is at most half full, so each pick finds a used position with odds of 1/2 at worst.
_POSITION_ATTEMPTS = 20


class CertificateUnavailable(Exception):
    """A certificate that exists but cannot be delivered right now; try again later."""


_STORAGE_FAILURE = "Your certificate's PDF could not be prepared just now (storage failure)."


def certificate_issue(
    *,
    learner,
    course: Course,
    completed_at: datetime,
    exam_score: int | None = None,
    language: str = "",
) -> Certificate | None:
    """The certificate for a completed course, created the first time it is asked for.

    The caller (learning) decides that the course is complete; this records the facts a
    certificate prints. Returns None while the learner has no full name: a certificate is
    never printed without one, and learning issues it once the learner adds a name.
    ``language`` (the learner's at that moment, else the site's) is kept: the PDF, the verify
    page and the credential speak it for good.
    """
    existing = Certificate.objects.filter(learner_id=learner.pk, course_id=course.pk).first()
    if existing is not None:
        return existing
    name = (learner.full_name or "").strip()
    if not name:
        return None
    minutes = course.chapters.aggregate(total=Sum("reading_minutes"))["total"] or 0
    for _attempt in range(_POSITION_ATTEMPTS):
        status_list, status_index = statuslist.status_position_new()
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
                    completed_on=timezone.localdate(completed_at),
                    reading_minutes=minutes,
                    exam_score=exam_score,
                    language=supported_language(language) or settings.LANGUAGE_CODE,
                    status_list=status_list,
                    status_index=status_index,
                )
        except IntegrityError:
            existing = Certificate.objects.filter(learner_id=learner.pk, course_id=course.pk)
            if existing.exists():
                return existing.get()
            # Otherwise the random status position was taken: pick another.
    raise CertificateError("No free status-list position was found; try again.")


def certificate_content(*, certificate: Certificate) -> CertificateContent:
    with translation.override(certificate.language):
        hours = reading_time(certificate.reading_minutes)
    return CertificateContent(
        learner_name=certificate.learner_name,
        course_title=certificate.course_title,
        completed_on=certificate.completed_on,
        reading_hours=hours,
        code=certificate.display_code,
        verify_url=certificate.verify_url(),
        issuer=settings.CERTIFICATE_ISSUER_NAME,
        revoked=certificate.is_revoked,
        exam_score=certificate.exam_score,
        language=certificate.language,
    )


class CertificateWithdrawn(CertificateError):
    """The holder erased their account: there is no PDF to draw, ever again."""


def certificate_pdf(*, certificate: Certificate) -> FieldFile:
    """The stored PDF, rendered the first time and again only when what it prints changed.
    CertificateWithdrawn once the holder erased their account, also when that happened
    while this caller held an older copy of the row (a PDF task, another device)."""
    if certificate.is_withdrawn:
        raise CertificateWithdrawn(f"Certificate {certificate.display_code} was withdrawn.")
    content = certificate_content(certificate=certificate)
    fingerprint = content.fingerprint()
    stored = certificate.pdf
    if stored and certificate.pdf_fingerprint == fingerprint and _stored(stored):
        return stored
    with transaction.atomic():
        # One node renders, the others wait on the row and then find the new PDF (after a
        # revocation every node would otherwise draw its own).
        current = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if current.is_withdrawn:
            raise CertificateWithdrawn(f"Certificate {current.display_code} was withdrawn.")
        # What the row says now, not what the caller read before taking the lock.
        content = certificate_content(certificate=current)
        fingerprint = content.fingerprint()
        if current.pdf and current.pdf_fingerprint == fingerprint:
            certificate.pdf, certificate.pdf_fingerprint = current.pdf, current.pdf_fingerprint
            if _stored(certificate.pdf):
                return certificate.pdf
        return _pdf_render(certificate, content, fingerprint)


def certificate_pdf_open(*, certificate: Certificate):
    """The certificate's PDF (drawn first when needed), opened for reading; raises
    CertificateUnavailable when its storage cannot be reached now."""
    stored = certificate_pdf(certificate=certificate)
    try:
        return stored.storage.open(stored.name, "rb")
    except OSError as error:  # a disk's failure, or object storage away (core.s3)
        raise CertificateUnavailable(_STORAGE_FAILURE) from error


def _stored(field: FieldFile) -> bool:
    try:
        return field.storage.exists(field.name)
    except OSError as error:
        raise CertificateUnavailable(_STORAGE_FAILURE) from error


def _pdf_render(certificate: Certificate, content, fingerprint: str) -> FieldFile:
    stored = certificate.pdf
    old_name = stored.name if stored else ""
    data = pdf.render(content)
    try:
        # The storage writes a temporary file and renames it: a failure leaves nothing.
        stored.save(f"{certificate.code}-{fingerprint[:12]}.pdf", ContentFile(data), save=False)
    except OSError as error:
        stored.name = old_name
        raise CertificateUnavailable(_STORAGE_FAILURE) from error
    certificate.pdf_fingerprint = fingerprint
    Certificate.objects.filter(pk=certificate.pk).update(
        pdf=stored.name, pdf_fingerprint=fingerprint
    )
    if old_name and old_name != stored.name:
        try:
            stored.storage.delete(old_name)
        except OSError:  # the new PDF is in place; the old one is only clutter
            logger.warning("old certificate PDF %s not deleted (storage failure)", old_name)
    return stored


# Characters a download's file name must not carry: path separators, quotes, characters
# Windows refuses, and every control or bidi-formatting character.
_UNSAFE_IN_FILENAME = re.compile(
    r"[/\\\"'<>:*?|\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]+"
)


def certificate_pdf_filename(*, certificate: Certificate) -> str:
    """The download name, "<course> - <name> - certificate.pdf", safe on any system."""
    stem = f"{certificate.course_title} - {certificate.learner_name}"
    stem = " ".join(_UNSAFE_IN_FILENAME.sub(" ", stem).split())[:150].strip(" .-")
    return f"{stem or 'Chapterwise'} - certificate.pdf"


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, reason: str, actor=None, actor_label: str = ""
) -> Certificate:
    """Withdraw a certificate; the verify page says so from now on, with the reason."""
    reason = reason.strip()
    if not reason:
        raise CertificateError("A revocation needs a reason: it is shown on the verify page.")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_revoked:
        raise CertificateError(
            f"Certificate {certificate.display_code} is already revoked "
            f"(since {certificate.revoked_at:%Y-%m-%d})."
        )
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revocation_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    CertificateEvent.objects.create(
        certificate=certificate,
        action=CertificateEvent.Action.REVOKED,
        reason=reason,
        actor=actor,
        actor_label=actor_label or _label(actor),
    )
    statuslist.status_list_changed(certificate)
    return certificate


@transaction.atomic
def certificate_reinstate(
    *, certificate: Certificate, reason: str = "", actor=None, actor_label: str = ""
) -> Certificate:
    """Undo a revocation; the history keeps both events."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_withdrawn:
        raise CertificateError(
            f"Certificate {certificate.display_code} was withdrawn at the holder's request "
            "and can never be reinstated."
        )
    if not certificate.is_revoked:
        raise CertificateError(f"Certificate {certificate.display_code} is not revoked.")
    certificate.revoked_at = None
    certificate.revoked_by = None
    certificate.revocation_reason = ""
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    CertificateEvent.objects.create(
        certificate=certificate,
        action=CertificateEvent.Action.REINSTATED,
        reason=reason.strip(),
        actor=actor,
        actor_label=actor_label or _label(actor),
    )
    statuslist.status_list_changed(certificate)
    return certificate


WITHDRAWN_REASON = "Withdrawn at the holder's request."


def _pdfs_delete(storage, code: str, current: str) -> None:
    names = {current} if current else set()
    try:
        _, files = storage.listdir("pdf")
    except OSError:  # no folder yet
        files = []
    names.update(f"pdf/{name}" for name in files if name.startswith(f"{code}-"))
    for name in names:
        storage.delete(name)


@transaction.atomic
def certificate_withdraw(*, certificate: Certificate) -> Certificate:
    """The holder erased their account: the certificate is revoked for good, with no name
    left on it, and its PDF deleted once the transaction commits. The verify page then says
    "withdrawn at the holder's request" and the status list says revoked; the event keeps no
    personal data."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    now = timezone.now()
    pdf_name = certificate.pdf.name if certificate.pdf else ""
    storage = certificate.pdf.storage
    certificate.learner = None
    certificate.learner_name = ""
    certificate.withdrawn_at = now
    certificate.revoked_at = certificate.revoked_at or now
    certificate.revoked_by = None
    certificate.revocation_reason = WITHDRAWN_REASON
    certificate.pdf = ""
    certificate.pdf_fingerprint = ""
    certificate.save()
    # Earlier revocations may name who acted and why, which can speak of the holder.
    certificate.events.all().delete()
    CertificateEvent.objects.create(
        certificate=certificate, action=CertificateEvent.Action.WITHDRAWN, reason=WITHDRAWN_REASON
    )
    # Every PDF ever stored for it (an earlier failed delete may have left one), once the
    # erasure commits; a storage failure then is logged, never the learner's error page.
    transaction.on_commit(lambda: _pdfs_delete(storage, certificate.code, pdf_name), robust=True)
    statuslist.status_list_changed(certificate)
    return certificate


def _label(actor) -> str:
    return actor.get_username() if actor is not None else ""


def certificate_find(*, code: str) -> Certificate | None:
    """The certificate a typed, scanned or linked id names, forgiving case and hyphens."""
    stored = codes.normalise(code)
    if stored is None:
        return None
    return Certificate.objects.select_related("course").filter(code=stored).first()

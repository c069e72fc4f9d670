"""Background work for certificates (Django's Tasks API; a database-backed worker with
several nodes, the immediate backend for `make run`).

When a certificate is issued its PDF is drawn and the learner gets an email with its links.
A failure (storage down, mail server away) is retried later, with a growing wait.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.tasks import default_task_backend, task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Certificate, CertificateEvent
from .services import CertificateUnavailable, CertificateWithdrawn, certificate_pdf

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def retry_later(the_task, attempt: int, **kwargs) -> None:
    """Enqueue ``the_task`` again after 1, 2, 4, 8 minutes; give up after MAX_ATTEMPTS."""
    if attempt >= MAX_ATTEMPTS:
        logger.error("%s gave up after %s attempts (%s)", the_task.name, attempt, kwargs)
        return
    wait = timedelta(minutes=2 ** (attempt - 1))
    if default_task_backend.supports_defer:
        the_task.using(run_after=timezone.now() + wait).enqueue(attempt=attempt + 1, **kwargs)
    else:  # the immediate backend (make run) cannot wait: the next download draws it
        logger.warning("%s failed; not retried without a task worker (%s)", the_task.name, kwargs)


@task
def certificate_pdf_draw(*, certificate_id: int, attempt: int = 1) -> None:
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None or certificate.is_withdrawn:
        return
    try:
        certificate_pdf(certificate=certificate)
    except CertificateWithdrawn:
        return  # erased while this task waited
    except CertificateUnavailable:
        retry_later(certificate_pdf_draw, attempt, certificate_id=certificate_id)


@task
def certificate_issued_email(*, certificate_id: int, attempt: int = 1) -> None:
    certificate = Certificate.objects.select_related("learner").filter(pk=certificate_id).first()
    if certificate is None or certificate.learner is None or not certificate.learner.email:
        return
    site = settings.SITE_URL
    page = f"{site}{certificate.get_absolute_url()}"
    with translation.override(certificate.language):  # the certificate's own language
        body = _(
            "Congratulations, %(name)s!\n\n"
            "You completed “%(course)s”. Your certificate:\n"
            "  %(page)s\n"
            "  PDF: %(pdf)s\n"
            "Anyone can check it at %(verify)s\n"
        ) % {
            "name": certificate.learner_name,
            "course": certificate.course_title,
            "page": page,
            "pdf": f"{page}pdf",
            "verify": certificate.verify_url(),
        }
        subject = _("Your certificate for %(course)s") % {"course": certificate.course_title}
    try:
        send_mail(subject, body, None, [certificate.learner.email])
    except OSError:
        retry_later(certificate_issued_email, attempt, certificate_id=certificate_id)


@task
def certificate_revoked_email(*, certificate_id: int, attempt: int = 1) -> None:
    """Tells the holder that their certificate was revoked, why, and where to read it."""
    certificate = Certificate.objects.select_related("learner").filter(pk=certificate_id).first()
    if (
        certificate is None
        or not certificate.is_revoked
        or certificate.learner is None
        or not certificate.learner.email
    ):
        return  # reinstated or erased meanwhile: nothing to tell
    with translation.override(certificate.language):
        body = _(
            "Hello %(name)s,\n\n"
            "Your certificate for “%(course)s” was revoked. The reason given:\n"
            "  %(reason)s\n\n"
            "Its page: %(page)s\n"
            "If you think this is a mistake, reply to this email.\n"
        ) % {
            "name": certificate.learner_name,
            "course": certificate.course_title,
            "reason": certificate.revocation_reason,
            "page": f"{settings.SITE_URL}{certificate.get_absolute_url()}",
        }
        subject = _("Your certificate for %(course)s was revoked") % {
            "course": certificate.course_title
        }
    try:
        send_mail(subject, body, None, [certificate.learner.email])
    except OSError:
        retry_later(certificate_revoked_email, attempt, certificate_id=certificate_id)


@receiver(post_save, sender=CertificateEvent, dispatch_uid="certificates-revoked-email")
def _tell_the_holder(sender, instance: CertificateEvent, created: bool, **kwargs) -> None:
    if created and instance.action == CertificateEvent.Action.REVOKED:
        certificate_id = instance.certificate_id
        transaction.on_commit(
            lambda: certificate_revoked_email.enqueue(certificate_id=certificate_id)
        )


def after_issue(certificate: Certificate) -> None:
    """Once the transaction that issued it commits: draw the PDF, tell the learner."""

    def enqueue() -> None:
        certificate_pdf_draw.enqueue(certificate_id=certificate.pk)
        certificate_issued_email.enqueue(certificate_id=certificate.pk)

    transaction.on_commit(enqueue)

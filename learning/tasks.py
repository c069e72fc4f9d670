"""Background work for learners: the email for a certificate that waits for a name."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from certificates.tasks import retry_later

from .models import Enrollment


@task
def certificate_waiting_email(*, enrollment_id: int, attempt: int = 1) -> None:
    enrollment = (
        Enrollment.objects.select_related("learner", "course").filter(pk=enrollment_id).first()
    )
    if enrollment is None or not enrollment.learner.email or enrollment.learner.full_name:
        return
    link = f"{settings.SITE_URL}{reverse('profile')}"
    with translation.override(enrollment.learner.language or settings.LANGUAGE_CODE):
        subject = _("Your certificate for %(course)s is waiting for your name") % {
            "course": enrollment.course.title
        }
        body = _(
            "You completed “%(course)s”. Certificates print your full name exactly as you "
            "write it: add it at %(link)s and your certificate is issued at once.\n"
        ) % {"course": enrollment.course.title, "link": link}
    try:
        send_mail(subject, body, None, [enrollment.learner.email])
    except OSError:
        retry_later(certificate_waiting_email, attempt, enrollment_id=enrollment_id)


def after_waiting_for_name(enrollment: Enrollment) -> None:
    transaction.on_commit(lambda: certificate_waiting_email.enqueue(enrollment_id=enrollment.pk))

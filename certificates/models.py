"""A certificate is the record that a learner completed a course.

What it says (name, course title, completion date, reading hours) is copied
at issue time, so a later edit of the course or the account does not change a
certificate that was already handed out; an admin re-issues on purpose.
"""

import secrets

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import codes


def pdf_storage():
    # PDFs are private (owner only), so they live outside MEDIA_ROOT and have no URL.
    return storages["certificates"]


STATUS_LIST_BITS = 131_072  # the spec's 16 KB minimum, for herd privacy


def random_status_index() -> int:
    return secrets.randbelow(STATUS_LIST_BITS)


class Certificate(models.Model):
    code = models.CharField(
        max_length=16,
        unique=True,
        editable=False,
        help_text=_("80 random bits in Crockford base32; shown in groups of four."),
    )
    # Empty once the holder erased their account (the certificate is withdrawn first, then
    # the account deleted: PROTECT makes the order a rule).
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
    )
    course = models.ForeignKey(
        "courses.Course", on_delete=models.PROTECT, related_name="certificates"
    )
    learner_name = models.CharField(max_length=200)
    course_title = models.CharField(max_length=200)
    completed_on = models.DateField()
    reading_minutes = models.PositiveIntegerField()
    # The final exam's score (0-100) when the course has one; printed and in the credential.
    exam_score = models.PositiveSmallIntegerField(null=True, blank=True)
    issued_at = models.DateTimeField(auto_now_add=True)

    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.TextField(blank=True)
    # Withdrawn at the holder's request (account erased): revoked, the name gone for good.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # The language it is printed in, chosen at issue and kept: a reprint never changes it.
    language = models.CharField(max_length=10, default="en")

    # Where its revocation bit lives in the published W3C status lists: a random free
    # position (the spec's advice: an index must not tell the order of issue), chosen at
    # issue (certificates.statuslist). Certificates issued before kept their id as index.
    status_list = models.PositiveIntegerField(default=1, editable=False)
    status_index = models.PositiveIntegerField(default=random_status_index, editable=False)

    pdf = models.FileField(storage=pdf_storage, upload_to="pdf/", blank=True, editable=False)
    # Fingerprint of what the stored PDF shows; a different one means "render again".
    pdf_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            # Exactly one certificate per learner and course, also under concurrent completion.
            models.UniqueConstraint(
                fields=["learner", "course"], name="certificate_once_per_learner_course"
            ),
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="certificate_one_status_bit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_code} {self.learner_name} — {self.course_title}"

    def get_absolute_url(self) -> str:
        return reverse("certificates:detail", args=[self.display_code])

    @property
    def display_code(self) -> str:
        return codes.display(self.code)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def verify_path(self) -> str:
        return reverse("certificates:verify", args=[self.display_code])

    def verify_url(self) -> str:
        return f"{settings.SITE_URL}{self.verify_path()}"


class CertificateEvent(models.Model):
    """Revocations and reinstatements: who, when and why, kept forever."""

    class Action(models.TextChoices):
        REVOKED = "revoked", _("Revoked")
        REINSTATED = "reinstated", _("Reinstated")
        WITHDRAWN = "withdrawn", _("Withdrawn at the holder's request")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=Action)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(
        max_length=150, blank=True, help_text=_("Who acted, also when done from the command line.")
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d} by {self.actor_label or '?'}"

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import validate_printable_name


class User(AbstractUser):
    """A learner or an admin.

    ``full_name`` is a single free-form field because certificates print the
    name exactly as the learner writes it ("Zoë Łukasiewicz", "李小龍").
    """

    full_name = models.CharField(
        max_length=200,
        blank=True,
        validators=[validate_printable_name],
        help_text=_("Printed on certificates exactly as written."),
    )
    # The learner's own choice of interface language; blank: the browser's, else the site's.
    language = models.CharField(max_length=10, blank=True, default="", choices=settings.LANGUAGES)

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class AccountErasure(models.Model):
    """That an account was erased, and how, with nothing that identifies whose it was."""

    class Via(models.TextChoices):
        SELF = "self", _("The holder, from the profile page")
        ADMIN = "admin", _("An admin, by command")

    at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=8, choices=Via)
    # The admin's own username when via is "admin" (never the erased account's).
    by = models.CharField(max_length=150, blank=True)
    certificates_withdrawn = models.PositiveIntegerField(default=0)
    attempts_deleted = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"Account erased {self.at:%Y-%m-%d %H:%M} ({self.get_via_display()})"


class UserSession(AbstractBaseSession):
    """A session row, with whose it is (``accounts.sessions``): the sessions of one account are
    found on an index, not by decoding every session (erasure, decision 0012). The session's
    data stays the only thing read on a request, from the shared cache."""

    # Filled in from the session's own data each time it is saved; empty for a visitor's.
    # Indexed, without a constraint in the database: a session saved by a request that began
    # before its account was deleted must not fail that request (the row is deleted with the
    # account's others: account_erase, and Django's cascade).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="+",
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_session"

from django.contrib.auth.models import AbstractUser
from django.db import models

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
        help_text="Printed on certificates exactly as written.",
    )

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

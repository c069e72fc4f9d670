"""Background work for accounts (Django's Tasks API; the database worker with several nodes,
the immediate backend for `make run` and the tests)."""

from django.contrib.auth.forms import PasswordResetForm
from django.tasks import task
from django.utils import translation


@task
def password_reset_send(*, email: str, domain: str, use_https: bool, language: str) -> None:
    """Send the reset link to the accounts with this address, if there are any: the request
    that asked answered at once, the same way for known and unknown addresses."""
    form = PasswordResetForm(data={"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        form.save(domain_override=domain, use_https=use_https)

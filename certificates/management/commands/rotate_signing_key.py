from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from certificates.credentials import SigningKeyMissing, signing_key_rotate


class Command(BaseCommand):
    help = (
        "Make a new credential signing key current and keep publishing the old public key, so "
        "credentials signed before still verify."
    )

    def handle(self, *args, **options):
        if settings.CREDENTIAL_SIGNING_KEY:
            raise CommandError(
                "the signing key comes from CREDENTIAL_SIGNING_KEY: generate a new PEM, set it "
                "there, and add the old public key (jwks.json) to CREDENTIAL_PREVIOUS_PUBLIC_KEYS"
            )
        path = Path(settings.CREDENTIAL_SIGNING_KEY_FILE)
        try:
            old, new = signing_key_rotate(path=path)
        except SigningKeyMissing as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"New signing key {new} is current; {old} stays published in jwks.json "
                f"({settings.CREDENTIAL_PREVIOUS_KEYS_FILE})."
            )
        )

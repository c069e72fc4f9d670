from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from certificates.credentials import (
    JWKS_CACHE_SECONDS,
    RotationNotPrepared,
    SigningKeyMissing,
    signing_key_prepare,
    signing_key_rotate,
)


class Command(BaseCommand):
    help = (
        "Rotate the credential signing key in two steps: --prepare writes the next key, which "
        "every node publishes in jwks.json at once; after jwks.json's cache lifetime, a run "
        "without --prepare makes it current and keeps publishing the old public key, so "
        "credentials signed before still verify and no verifier meets an unknown key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--prepare", action="store_true", help="Step 1: write and publish the next key."
        )
        parser.add_argument(
            "--now",
            action="store_true",
            help="One step (a single process only): a new key, current at once.",
        )

    def handle(self, *args, prepare: bool, now: bool, **options):
        if settings.CREDENTIAL_SIGNING_KEY:
            raise CommandError(
                "the signing key comes from CREDENTIAL_SIGNING_KEY, so rotate it by hand in two "
                "steps: (1) generate a new PEM and put its public key (JWK) in "
                "CREDENTIAL_NEXT_PUBLIC_KEYS on every node; (2) after "
                f"{JWKS_CACHE_SECONDS // 60} minutes, set the new PEM as CREDENTIAL_SIGNING_KEY "
                "and add the old public key to CREDENTIAL_PREVIOUS_PUBLIC_KEYS"
            )
        path = Path(settings.CREDENTIAL_SIGNING_KEY_FILE)
        try:
            if prepare:
                kid = signing_key_prepare()
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Next signing key {kid} is published in jwks.json. In "
                        f"{JWKS_CACHE_SECONDS // 60} minutes, run rotate_signing_key again to "
                        "sign with it."
                    )
                )
                return
            old, new = signing_key_rotate(path=path, unpublished=now)
        except (SigningKeyMissing, RotationNotPrepared) as error:
            raise CommandError(str(error)) from None
        except FileExistsError:
            raise CommandError(
                f"A next key is already prepared ({settings.CREDENTIAL_NEXT_SIGNING_KEY_FILE}): "
                "run rotate_signing_key without --prepare to make it current."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"New signing key {new} is current; {old} stays published in jwks.json "
                f"({settings.CREDENTIAL_PREVIOUS_KEYS_FILE})."
            )
        )

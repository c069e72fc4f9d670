from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from certificates.credentials import _public_jwk, signing_key, signing_key_generate


class Command(BaseCommand):
    help = "Create the Ed25519 key that signs Open Badges credentials (once per site)."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=None, help="where to write the PEM")
        parser.add_argument("--force", action="store_true", help="replace an existing key")

    def handle(self, *args, path: Path | None, force: bool, **options):
        path = path or Path(settings.CREDENTIAL_SIGNING_KEY_FILE)
        try:
            signing_key_generate(path=path, force=force)
        except FileExistsError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"{path}: cannot write the key ({error.strerror})") from error
        message = f"Wrote a new Ed25519 signing key to {path} (mode 600)."
        if (
            path == Path(settings.CREDENTIAL_SIGNING_KEY_FILE)
            and not settings.CREDENTIAL_SIGNING_KEY
        ):
            message += f" Key id: {_public_jwk(signing_key().public_key())['kid']}."
        if force:
            message += " Credentials signed with the old key no longer verify."
        self.stdout.write(self.style.SUCCESS(message))

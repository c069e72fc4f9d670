import json
import urllib.error
import urllib.request
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates import credentials


def _read(source: str, what: str) -> str:
    if source.startswith(("https://", "http://")):
        try:
            with urllib.request.urlopen(source, timeout=10) as response:  # noqa: S310
                return response.read().decode("utf-8")
        except (urllib.error.URLError, TimeoutError, UnicodeDecodeError) as error:
            raise CommandError(f"{source}: cannot fetch the {what} ({error})") from error
    try:
        return Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{source}: cannot read the {what} ({error})") from error


def _token(text: str, source: str) -> str:
    text = text.strip()
    if text.startswith("{"):
        try:
            envelope = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{source}: not JSON ({error.msg} on line {error.lineno})"
            ) from error
        prefix = f"data:{credentials.MEDIA_TYPE},"
        identifier = str(envelope.get("id", ""))
        if not identifier.startswith(prefix):
            raise CommandError(f"{source}: not an EnvelopedVerifiableCredential with a VC-JWT")
        return identifier[len(prefix) :]
    return text


class Command(BaseCommand):
    help = (
        "Check a saved Open Badges credential (credential.json, a .jwt file, or a URL): "
        "signature against the issuer's JWKS, dates, and revocation status."
    )

    def add_arguments(self, parser):
        parser.add_argument("credential", help="file or URL of credential.json or credential.jwt")
        parser.add_argument("--key", help="JWKS file or URL (default: the issuer's jwks.json)")
        parser.add_argument(
            "--status",
            help="the status list credential (or the site's status.json), file or URL; "
            "default: fetch the credential's statusListCredential, or skip the revocation "
            "check with --offline",
        )
        parser.add_argument("--offline", action="store_true", help="never use the network")

    def handle(
        self, *args, credential: str, key: str | None, status: str | None, offline: bool, **options
    ):
        token = _token(_read(credential, "credential"), credential)
        try:
            payload = credentials.token_payload(token)
        except (ValueError, IndexError, UnicodeDecodeError):
            payload = {}  # unreadable claims: the signature check below says why
        if key is None:
            if offline:
                raise CommandError("--offline needs --key with a saved JWKS file")
            issuer = payload.get("issuer", {}).get("id", "")
            if not issuer:
                raise CommandError(f"{credential}: no issuer in the credential; pass --key")
            key = issuer.rstrip("/") + "/.well-known/jwks.json"
        try:
            jwks = json.loads(_read(key, "key set"))
        except json.JSONDecodeError as error:
            raise CommandError(f"{key}: not a JWKS JSON file") from error
        status_data = status_list = None
        if status is not None:
            text = _read(status, "status").strip()
            if text.startswith("{"):
                status_data = json.loads(text)  # the site's own status.json
            else:
                status_list = text  # a signed Bitstring Status List credential
        elif not offline:
            entry = payload.get("credentialStatus", {})
            if entry.get("statusListCredential"):
                status_list = _read(entry["statusListCredential"], "status list").strip()
        result = credentials.credential_verify(
            token=token, jwks=jwks, status=status_data, status_list=status_list
        )
        if status_data is None and status_list is None and result.valid:
            self.stdout.write(result.summary + " (revocation not checked: no status given)")
        elif result.valid:
            self.stdout.write(result.summary)
        else:
            raise CommandError(result.summary)

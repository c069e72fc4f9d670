"""Certificates as Open Badges 3.0 credentials, signed as VC-JWTs with Ed25519.

A PDF proves nothing on its own; the verify page does, but only while this site is up.
The credential is the portable proof: a W3C Verifiable Credential (OB 3.0
``OpenBadgeCredential``) signed with the issuer's Ed25519 key, whose public half is
published at ``/.well-known/jwks.json``. Anyone holding the credential and that key can
check it offline (``manage.py verify_credential``). The JWS is a handful of lines on top of
``cryptography``, so no JOSE library is needed (docs/decisions/0005-open-badges-credentials.md).
"""

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from . import statuslist
from .models import Certificate

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
MEDIA_TYPE = "application/vc+jwt"


class SigningKeyMissing(Exception):
    """No signing key is configured: run ``manage.py generate_signing_key``."""


# How long verifiers may keep jwks.json (its Cache-Control). Step 2 of a rotation waits at
# least this long after step 1 has reached every node.
JWKS_CACHE_SECONDS = 300


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- keys ------------------------------------------------------------------------------


def signing_key_generate(*, path: Path, force: bool = False) -> Path:
    """Write a new Ed25519 private key (PKCS#8 PEM, readable by the owner only)."""
    path = Path(path)
    if path.exists() and not force:
        raise FileExistsError(f"{path} already exists; pass --force to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    os.chmod(path, 0o600)
    _load_key.cache_clear()
    return path


@cache
def _load_key(pem_text: str, path: str) -> Ed25519PrivateKey:
    if pem_text:
        data = pem_text.encode()
    else:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError as error:
            raise SigningKeyMissing(
                f"No credential signing key at {path}: run `manage.py generate_signing_key`."
            ) from error
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyMissing(f"The credential signing key at {path} is not an Ed25519 key.")
    return key


def signing_key() -> Ed25519PrivateKey:
    return _load_key(settings.CREDENTIAL_SIGNING_KEY, str(settings.CREDENTIAL_SIGNING_KEY_FILE))


def _public_jwk(public: Ed25519PublicKey) -> dict:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    jwk = {"crv": "Ed25519", "kty": "OKP", "x": _b64(raw)}
    # RFC 7638 thumbprint: a key id that anyone can recompute from the key itself.
    canonical = json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode()
    return {**jwk, "kid": _b64(hashlib.sha256(canonical).digest()), "alg": "EdDSA", "use": "sig"}


def previous_public_keys() -> list[dict]:
    """Public keys of earlier signing keys, still published so their credentials verify.

    From ``CREDENTIAL_PREVIOUS_PUBLIC_KEYS`` (a JSON list of JWKs, for nodes configured by
    the environment) or the file ``rotate_signing_key`` keeps beside the key.
    """
    if settings.CREDENTIAL_PREVIOUS_PUBLIC_KEYS:
        return json.loads(settings.CREDENTIAL_PREVIOUS_PUBLIC_KEYS)
    path = Path(settings.CREDENTIAL_PREVIOUS_KEYS_FILE)
    return json.loads(path.read_text()) if path.exists() else []


def next_public_keys() -> list[dict]:
    """The key the next rotation will sign with, published ahead of it (step 1 of two), so
    that no verifier meets a credential signed by a key its copy of jwks.json lacks.

    From ``CREDENTIAL_NEXT_PUBLIC_KEYS`` (a JSON list of JWKs, nodes configured by the
    environment) or the key file ``rotate_signing_key --prepare`` writes beside the current
    one (read on every request: a prepared key is published at once, no restart)."""
    if settings.CREDENTIAL_NEXT_PUBLIC_KEYS:
        return json.loads(settings.CREDENTIAL_NEXT_PUBLIC_KEYS)
    path = Path(settings.CREDENTIAL_NEXT_SIGNING_KEY_FILE)
    if not path.exists():
        return []
    return [_public_jwk(_load_key("", str(path)).public_key())]


def public_jwks() -> dict:
    """The current public key first, then the next one (prepared), then every previous one
    (rotation keeps them); each key once."""
    current = _public_jwk(signing_key().public_key())
    keys, seen = [current], {current["kid"]}
    for key in [*next_public_keys(), *previous_public_keys()]:
        if key.get("kid") not in seen:
            keys.append(key)
            seen.add(key.get("kid"))
    return {"keys": keys}


class RotationNotPrepared(Exception):
    """The next key was not published first; the message says what to run."""


def signing_key_prepare(*, force: bool = False) -> str:
    """Step 1: write the next signing key beside the current one; every node publishes its
    public key from now on. Returns its key id."""
    path = Path(settings.CREDENTIAL_NEXT_SIGNING_KEY_FILE)
    signing_key_generate(path=path, force=force)
    return _public_jwk(_load_key("", str(path)).public_key())["kid"]


def signing_key_rotate(*, path: Path, unpublished: bool = False) -> tuple[str, str]:
    """Step 2: make the prepared key current and keep the old one's public key published;
    (old, new) kid. ``unpublished`` makes and uses a new key at once (one process only:
    other processes would sign with a key their jwks.json does not list)."""
    path = Path(path)
    prepared = Path(settings.CREDENTIAL_NEXT_SIGNING_KEY_FILE)
    if not prepared.exists() and not unpublished:
        raise RotationNotPrepared(
            "No next key is published yet: run `manage.py rotate_signing_key --prepare`, "
            f"wait until every node has served it for {JWKS_CACHE_SECONDS // 60} minutes "
            "(jwks.json's cache lifetime), then run this again."
        )
    old = _public_jwk(_load_key("", str(path)).public_key())
    keep = Path(settings.CREDENTIAL_PREVIOUS_KEYS_FILE)
    kept = json.loads(keep.read_text()) if keep.exists() else []
    if old["kid"] not in {key.get("kid") for key in kept}:
        kept.insert(0, old)
    keep.parent.mkdir(parents=True, exist_ok=True)
    temporary = keep.with_suffix(".tmp")
    temporary.write_text(json.dumps(kept, indent=2))
    os.replace(temporary, keep)
    if prepared.exists():
        os.replace(prepared, path)  # the new key keeps the file's owner-only mode
        _load_key.cache_clear()
    else:
        signing_key_generate(path=path, force=True)
    new = _public_jwk(_load_key("", str(path)).public_key())
    return old["kid"], new["kid"]


def jwks_url() -> str:
    return f"{settings.SITE_URL}{reverse('credentials:jwks')}"


# --- building and signing ------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _exam_result_id(certificate: Certificate, site: str) -> str:
    return f"{site}{certificate.course.get_absolute_url()}exam/#score"


def _exam_result_description(certificate: Certificate, site: str) -> dict:
    if certificate.exam_score is None:
        return {}
    return {
        "resultDescription": [
            {
                "id": _exam_result_id(certificate, site),
                "type": ["ResultDescription"],
                "name": gettext("Final exam score"),
                "resultType": "Percent",
            }
        ]
    }


def _exam_result(certificate: Certificate, site: str) -> dict:
    """Open Badges 3.0 ``result``: the exam score the holder earned."""
    if certificate.exam_score is None:
        return {}
    return {
        "result": [
            {
                "type": ["Result"],
                "resultDescription": _exam_result_id(certificate, site),
                "value": str(certificate.exam_score),
            }
        ]
    }


def credential_build(*, certificate: Certificate) -> dict:
    """The OpenBadgeCredential for a certificate, before signing, worded in the
    certificate's language (``achievement.inLanguage``, BCP 47)."""
    with translation.override(certificate.language):
        return _credential(certificate)


def language_tag(code: str) -> str:
    """Django's "pt-br" as BCP 47 writes it: "pt-BR"."""
    language, _, region = code.partition("-")
    return f"{language}-{region.upper()}" if region else language


def _credential(certificate: Certificate) -> dict:
    site = settings.SITE_URL
    verify_url = certificate.verify_url()
    return {
        "@context": CONTEXTS,
        "id": verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": gettext("%(course)s: certificate of completion")
        % {"course": certificate.course_title},
        "issuer": {
            "id": f"{site}/",
            "type": ["Profile"],
            "name": settings.CERTIFICATE_ISSUER_NAME,
            "url": f"{site}/",
        },
        "validFrom": _iso(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": certificate.learner_name,
            "achievement": {
                "id": f"{site}{certificate.course.get_absolute_url()}",
                "type": ["Achievement"],
                "name": certificate.course_title,
                "description": gettext("Completed the course “%(course)s”.")
                % {"course": certificate.course_title},
                "inLanguage": language_tag(certificate.language),
                "criteria": {"narrative": certificate.course.completion_criteria},
                **_exam_result_description(certificate, site),
            },
            **_exam_result(certificate, site),
        },
        # Where to learn whether the certificate was revoked since it was signed: a bit in a
        # W3C Bitstring Status List, which third-party verifiers read (certificates.statuslist).
        "credentialStatus": statuslist.status_entry(certificate),
    }


def credential_sign(*, certificate: Certificate) -> str:
    """The credential as a compact JWS (VC-JOSE-COSE ``application/vc+jwt``)."""
    return sign_payload(credential_build(certificate=certificate))


def status_list_credential(*, number: int) -> dict:
    """The BitstringStatusListCredential of list ``number``, before signing."""
    url = statuslist.status_list_url(number)
    site = settings.SITE_URL
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {"id": f"{site}/", "name": settings.CERTIFICATE_ISSUER_NAME},
        "validFrom": _iso(datetime.now(UTC)),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": statuslist.status_list_encoded(number),
        },
    }


def sign_payload(payload: dict) -> str:
    key = signing_key()
    kid = _public_jwk(key.public_key())["kid"]
    header = {"alg": "EdDSA", "typ": "vc+jwt", "cty": "vc", "kid": f"{jwks_url()}#{kid}"}
    signing_input = ".".join(
        _b64(json.dumps(part, separators=(",", ":"), ensure_ascii=False).encode())
        for part in (header, payload)
    )
    return f"{signing_input}.{_b64(key.sign(signing_input.encode('ascii')))}"


def _list_revoked(credential: dict, status_list: str, jwks: dict) -> str | None:
    """Why the status list says "revoked" (or cannot be trusted); None when the bit is clear."""
    entry = credential.get("credentialStatus") or {}
    if entry.get("type") != "BitstringStatusListEntry":
        return None
    listed = credential_verify(token=status_list, jwks=jwks)
    if not listed.valid:
        return f"the status list does not verify ({listed.reason})"
    subject = listed.credential.get("credentialSubject", {})
    if listed.credential.get("id") != entry.get("statusListCredential"):
        return "the status list is not the one the credential names"
    try:
        bits = statuslist.decode_bits(subject["encodedList"])
        revoked = statuslist.bit_is_set(bits, int(entry["statusListIndex"]))
    except (KeyError, ValueError, IndexError, OSError):
        return "the status list cannot be read"
    return "revoked (the issuer's status list says so)" if revoked else None


def credential_status(*, certificate: Certificate) -> dict:
    status = {"id": f"{certificate.verify_url()}status.json", "revoked": certificate.is_revoked}
    if certificate.is_revoked:
        status["revokedAt"] = _iso(certificate.revoked_at)
        status["reason"] = certificate.revocation_reason
    return status


# --- verifying -----------------------------------------------------------------------------


@dataclass(frozen=True)
class VerificationResult:
    valid: bool
    reason: str
    credential: dict | None = None

    @property
    def summary(self) -> str:
        if not self.valid:
            return f"invalid: {self.reason}"
        subject = self.credential["credentialSubject"]
        return (
            f"valid: {subject['name']} completed {subject['achievement']['name']} "
            f"(credential from {self.credential['validFrom'][:10]}), "
            f"signed by {self.credential['issuer']['name']}"
        )


def credential_verify(
    *,
    token: str,
    jwks: dict,
    status: dict | None = None,
    status_list: str | None = None,
    now: datetime | None = None,
) -> VerificationResult:
    """Check signature, dates and (when given) revocation of a VC-JWT: ``status_list`` is the
    signed Bitstring Status List credential the credential names; ``status`` the older
    status.json form."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        return VerificationResult(False, "not a compact JWS (expected three dot-separated parts)")
    try:
        header = json.loads(_unb64(parts[0]))
        signature = _unb64(parts[2])
    except (ValueError, UnicodeDecodeError):
        return VerificationResult(False, "the header or signature is not valid base64url JSON")
    if header.get("alg") != "EdDSA":
        return VerificationResult(False, f"unsupported algorithm {header.get('alg')!r}")
    kid = str(header.get("kid", "")).rpartition("#")[2]
    key = next((k for k in jwks.get("keys", []) if k.get("kid") == kid), None)
    if key is None:
        return VerificationResult(False, f"unknown signing key {kid!r} (not in the given JWKS)")
    try:
        public = Ed25519PublicKey.from_public_bytes(_unb64(key["x"]))
        public.verify(signature, f"{parts[0]}.{parts[1]}".encode("ascii"))
    except (InvalidSignature, ValueError, KeyError):
        return VerificationResult(False, "the signature does not match: the credential was altered")
    try:
        credential = json.loads(_unb64(parts[1]))
    except (ValueError, UnicodeDecodeError):
        return VerificationResult(False, "the payload is not JSON")
    now = now or datetime.now(UTC)
    valid_from = _parse_time(credential.get("validFrom"))
    if valid_from is None or valid_from > now:
        return VerificationResult(False, "not yet valid (validFrom is in the future or missing)")
    valid_until = _parse_time(credential.get("validUntil"))
    if valid_until is not None and valid_until < now:
        return VerificationResult(False, f"expired on {credential['validUntil']}")
    if status_list is not None and (why := _list_revoked(credential, status_list, jwks)):
        return VerificationResult(False, why)
    if status is not None and status.get("revoked"):
        return VerificationResult(
            False,
            f"revoked on {str(status.get('revokedAt', '?'))[:10]}: {status.get('reason', '')}",
        )
    return VerificationResult(True, "", credential)


def _parse_time(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def token_payload(token: str) -> dict:
    """The unverified payload, to find where its status lives."""
    return json.loads(_unb64(token.strip().split(".")[1]))

"""Signing keys rotate without breaking issued credentials (issue 13), checked with PyJWT."""

import json

import jwt
import pytest
from django.core.management import CommandError, call_command

from certificates.credentials import credential_sign, credential_verify, public_jwks
from tests.test_certificates import _site, make_certificate  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_files(settings, tmp_path):
    settings.CREDENTIAL_SIGNING_KEY = ""
    settings.CREDENTIAL_PREVIOUS_PUBLIC_KEYS = ""
    settings.CREDENTIAL_SIGNING_KEY_FILE = tmp_path / "key.pem"
    settings.CREDENTIAL_PREVIOUS_KEYS_FILE = tmp_path / "previous.json"
    settings.CREDENTIAL_NEXT_PUBLIC_KEYS = ""
    settings.CREDENTIAL_NEXT_SIGNING_KEY_FILE = tmp_path / "next.pem"
    call_command("generate_signing_key")
    return tmp_path


def _kid(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"].rpartition("#")[2]


def _verify_independently(token: str, jwks: dict) -> dict:
    """PyJWT, not the project's own code: the key by its id, the EdDSA signature."""
    jwk = next(key for key in jwks["keys"] if key["kid"] == _kid(token))
    return jwt.decode(token, key=jwt.PyJWK(jwk).key, algorithms=["EdDSA"])


def test_credentials_signed_before_a_rotation_still_verify(client, key_files):
    certificate = make_certificate()
    before = credential_sign(certificate=certificate)
    call_command("rotate_signing_key", "--prepare")
    call_command("rotate_signing_key")
    after = credential_sign(certificate=certificate)
    assert _kid(before) != _kid(after)

    jwks = client.get("/.well-known/jwks.json").json()
    assert [key["kid"] for key in jwks["keys"]] == [_kid(after), _kid(before)]
    for token in (before, after):
        payload = _verify_independently(token, jwks)
        assert payload["credentialSubject"]["name"] == certificate.learner_name
        assert credential_verify(token=token, jwks=jwks).valid


def test_a_second_rotation_keeps_every_earlier_key(key_files):
    first = public_jwks()["keys"][0]["kid"]
    call_command("rotate_signing_key", "--now")
    second = public_jwks()["keys"][0]["kid"]
    call_command("rotate_signing_key", "--prepare")
    call_command("rotate_signing_key")
    assert [k["kid"] for k in public_jwks()["keys"]][1:] == [second, first]


def test_keys_from_the_environment_are_rotated_by_hand(key_files, settings):
    pem = (key_files / "key.pem").read_text()
    settings.CREDENTIAL_SIGNING_KEY = pem
    with pytest.raises(CommandError, match="CREDENTIAL_NEXT_PUBLIC_KEYS"):
        call_command("rotate_signing_key")


def test_previous_keys_from_the_environment_are_published(key_files, settings):
    old = {"crv": "Ed25519", "kty": "OKP", "x": "A" * 43, "kid": "old-key", "alg": "EdDSA"}
    settings.CREDENTIAL_PREVIOUS_PUBLIC_KEYS = json.dumps([old])
    assert public_jwks()["keys"][1] == old


def test_a_verifier_never_meets_a_key_its_copy_of_jwks_lacks(client, key_files):
    """Issue 26: during a rolling restart a node signing with the new key while a verifier
    held the other node's jwks.json (cached for an hour) failed verification."""
    certificate = make_certificate()
    call_command("rotate_signing_key", "--prepare")
    cached_by_verifier = client.get("/.well-known/jwks.json")  # any node, after step 1
    assert cached_by_verifier["Cache-Control"] == "public, max-age=300"
    call_command("rotate_signing_key")
    signed_after = credential_sign(certificate=certificate)
    payload = _verify_independently(signed_after, cached_by_verifier.json())
    assert payload["credentialSubject"]["name"] == certificate.learner_name


def test_a_rotation_without_a_published_next_key_is_refused(key_files):
    current = public_jwks()["keys"][0]["kid"]
    with pytest.raises(CommandError, match="--prepare"):
        call_command("rotate_signing_key")
    assert public_jwks()["keys"][0]["kid"] == current


def test_a_second_prepare_does_not_replace_the_published_next_key(key_files):
    call_command("rotate_signing_key", "--prepare")
    published = public_jwks()["keys"][1]["kid"]
    with pytest.raises(CommandError, match="already prepared"):
        call_command("rotate_signing_key", "--prepare")
    assert public_jwks()["keys"][1]["kid"] == published


def test_next_keys_from_the_environment_are_published(key_files, settings):
    upcoming = {"crv": "Ed25519", "kty": "OKP", "x": "B" * 43, "kid": "next-key", "alg": "EdDSA"}
    settings.CREDENTIAL_NEXT_PUBLIC_KEYS = json.dumps([upcoming])
    assert public_jwks()["keys"][1] == upcoming

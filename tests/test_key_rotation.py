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
    call_command("rotate_signing_key")
    second = public_jwks()["keys"][0]["kid"]
    call_command("rotate_signing_key")
    assert [k["kid"] for k in public_jwks()["keys"]][1:] == [second, first]


def test_keys_from_the_environment_are_rotated_by_hand(key_files, settings):
    pem = (key_files / "key.pem").read_text()
    settings.CREDENTIAL_SIGNING_KEY = pem
    with pytest.raises(CommandError, match="CREDENTIAL_PREVIOUS_PUBLIC_KEYS"):
        call_command("rotate_signing_key")


def test_previous_keys_from_the_environment_are_published(key_files, settings):
    old = {"crv": "Ed25519", "kty": "OKP", "x": "A" * 43, "kid": "old-key", "alg": "EdDSA"}
    settings.CREDENTIAL_PREVIOUS_PUBLIC_KEYS = json.dumps([old])
    assert public_jwks()["keys"][1] == old

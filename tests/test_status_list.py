"""Revocation as a W3C Bitstring Status List (issue 13), checked by hand and with PyJWT."""

import base64
import gzip
from io import StringIO

import jwt
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from certificates import credentials, statuslist
from certificates.services import certificate_issue, certificate_reinstate, certificate_revoke
from tests.conftest import make_course, make_user
from tests.test_certificates import _site, make_certificate  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(settings, tmp_path):
    settings.CREDENTIAL_SIGNING_KEY = ""
    settings.CREDENTIAL_SIGNING_KEY_FILE = tmp_path / "key.pem"
    call_command("generate_signing_key", stdout=StringIO())
    return make_certificate()


def _by_hand(token: str, jwks: dict, index: int) -> bool:
    """PyJWT checks the signature; the bit is read with nothing but base64, gzip and shifts."""
    kid = jwt.get_unverified_header(token)["kid"].rpartition("#")[2]
    jwk = next(key for key in jwks["keys"] if key["kid"] == kid)
    payload = jwt.decode(token, key=jwt.PyJWK(jwk).key, algorithms=["EdDSA"])
    assert payload["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = payload["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    encoded = subject["encodedList"]
    assert encoded[0] == "u"  # multibase base64url
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) * 8 >= 131072  # the spec's minimum size, for herd privacy
    return (bits[index // 8] >> (7 - index % 8)) & 1 == 1


def test_the_credential_names_its_bit_and_the_bit_follows_revocation(client, certificate):
    entry = credentials.credential_build(certificate=certificate)["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry"
    assert entry["statusPurpose"] == "revocation"
    assert entry["statusListIndex"] == str(certificate.status_index)
    list_path = entry["statusListCredential"].removeprefix("https://example.org")
    assert list_path == reverse("credentials:status_list", args=[1])
    jwks = client.get(reverse("credentials:jwks")).json()
    index = int(entry["statusListIndex"])

    response = client.get(list_path)
    assert response["Content-Type"] == "application/vc+jwt"
    assert response["Cache-Control"] == "public, max-age=60"
    assert _by_hand(response.content.decode(), jwks, index) is False

    certificate_revoke(certificate=certificate, reason="Issued by mistake")
    assert _by_hand(client.get(list_path).content.decode(), jwks, index) is True
    certificate_reinstate(certificate=certificate, reason="Checked again")
    assert _by_hand(client.get(list_path).content.decode(), jwks, index) is False


def test_verification_reads_the_status_list(client, certificate, tmp_path):
    token = credentials.credential_sign(certificate=certificate)
    jwks = client.get(reverse("credentials:jwks")).json()
    list_url = reverse("credentials:status_list", args=[1])
    clear = client.get(list_url).content.decode()
    assert credentials.credential_verify(token=token, jwks=jwks, status_list=clear).valid
    certificate_revoke(certificate=certificate, reason="Plagiarism")
    revoked = client.get(list_url).content.decode()
    result = credentials.credential_verify(token=token, jwks=jwks, status_list=revoked)
    assert not result.valid and "revoked" in result.reason

    (tmp_path / "credential.jwt").write_text(token)
    (tmp_path / "jwks.json").write_text(client.get(reverse("credentials:jwks")).content.decode())
    (tmp_path / "status.jwt").write_text(revoked)
    with pytest.raises(CommandError, match="revoked"):
        call_command(
            "verify_credential",
            str(tmp_path / "credential.jwt"),
            "--key",
            str(tmp_path / "jwks.json"),
            "--status",
            str(tmp_path / "status.jwt"),
        )


def test_a_status_list_signed_by_someone_else_is_not_trusted(
    client, certificate, settings, tmp_path
):
    token = credentials.credential_sign(certificate=certificate)
    jwks = client.get(reverse("credentials:jwks")).json()
    settings.CREDENTIAL_SIGNING_KEY_FILE = tmp_path / "forger.pem"
    call_command("generate_signing_key", stdout=StringIO())
    forged = client.get(reverse("credentials:status_list", args=[1])).content.decode()
    result = credentials.credential_verify(token=token, jwks=jwks, status_list=forged)
    assert not result.valid and "status list does not verify" in result.reason


def _issue(count: int) -> list:
    course = make_course(chapters=1)
    return [
        certificate_issue(
            learner=make_user(full_name=f"Learner {n}"), course=course, completed_at=timezone.now()
        )
        for n in range(count)
    ]


def test_issued_certificates_get_random_positions_that_do_not_tell_the_order_of_issue():
    certificates = _issue(20)
    indexes = [c.status_index for c in certificates]
    assert len(set(indexes)) == 20 and {c.status_list for c in certificates} == {1}
    # Increasing by chance: once in 20! (2.4e18) runs.
    assert indexes != sorted(indexes)
    assert indexes != [c.pk % statuslist.LIST_BITS for c in certificates]


def test_a_position_already_taken_is_picked_again(monkeypatch):
    (first,) = _issue(1)
    picks = iter([first.status_index, first.status_index, 7])  # the randomness, replayed
    monkeypatch.setattr(statuslist, "random_status_index", lambda: next(picks))
    (second,) = _issue(1)
    assert (second.status_list, second.status_index) == (1, 7)


def test_a_half_full_list_sends_new_certificates_to_the_next(monkeypatch):
    monkeypatch.setattr(statuslist, "LIST_BITS", 4)  # a list of 4 bits: half full at 2
    certificates = _issue(3)
    assert [c.status_list for c in certificates] == [1, 1, 2]

"""Open Badges 3.0 credentials: shape, Ed25519 VC-JWT signature, revocation, offline check."""

import json
import os
import stat
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from certificates import codes, credentials
from certificates.models import Certificate
from certificates.services import certificate_revoke
from tests.conftest import make_course, make_user, run_manage

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _key(settings, tmp_path):
    settings.CREDENTIAL_SIGNING_KEY = ""
    settings.CREDENTIAL_SIGNING_KEY_FILE = tmp_path / "keys" / "signing.pem"
    settings.SITE_URL = "https://example.org"
    settings.CERTIFICATE_ISSUER_NAME = "Chapterwise Academy"
    credentials._load_key.cache_clear()
    call_command("generate_signing_key", stdout=StringIO())
    yield
    credentials._load_key.cache_clear()


@pytest.fixture
def certificate():
    return Certificate.objects.create(
        code=codes.new_code(),
        learner=make_user(full_name="Zoë Łukasiewicz"),
        course=make_course(title="Handling Customer Conflict", slug="conflict"),
        learner_name="Zoë Łukasiewicz",
        course_title="Handling Customer Conflict",
        completed_on=date(2026, 11, 24),
        reading_minutes=150,
    )


def fetch_token(client, certificate) -> str:
    url = reverse("credentials:credential", args=[certificate.display_code])
    envelope = client.get(url).json()
    assert envelope["type"] == "EnvelopedVerifiableCredential"
    prefix = "data:application/vc+jwt,"
    assert envelope["id"].startswith(prefix)
    return envelope["id"][len(prefix) :]


def test_credential_is_an_open_badge_with_issuer_subject_and_achievement(certificate):
    credential = credentials.credential_build(certificate=certificate)
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["type"] == ["Profile"]
    assert credential["issuer"]["name"] == "Chapterwise Academy"
    assert credential["validFrom"].endswith("Z")
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["name"] == "Zoë Łukasiewicz"
    assert subject["achievement"]["type"] == ["Achievement"]
    assert subject["achievement"]["name"] == "Handling Customer Conflict"
    assert credential["id"] == f"https://example.org/verify/{certificate.display_code}/"


def test_signed_credential_verifies_against_the_published_key(client, certificate):
    token = fetch_token(client, certificate)
    header = json.loads(credentials._unb64(token.split(".")[0]))
    assert header["alg"] == "EdDSA" and header["typ"] == "vc+jwt"
    assert header["kid"].startswith("https://example.org/.well-known/jwks.json#")
    jwks = client.get(reverse("credentials:jwks")).json()
    assert jwks["keys"][0]["kty"] == "OKP" and jwks["keys"][0]["crv"] == "Ed25519"
    assert "d" not in jwks["keys"][0]  # never the private part

    result = credentials.credential_verify(token=token, jwks=jwks)
    assert result.valid, result.reason
    assert result.credential["credentialSubject"]["name"] == "Zoë Łukasiewicz"
    jwt = client.get(reverse("credentials:credential_jwt", args=[certificate.display_code]))
    assert jwt["Content-Type"] == "application/vc+jwt"
    assert credentials.credential_verify(token=jwt.content.decode(), jwks=jwks).valid


def test_changing_one_byte_of_the_payload_breaks_the_signature(client, certificate):
    token = fetch_token(client, certificate)
    jwks = client.get(reverse("credentials:jwks")).json()
    head, payload, signature = token.split(".")
    claims = json.loads(credentials._unb64(payload))
    claims["credentialSubject"]["name"] = "Zoe Lukasiewicz"
    forged = credentials._b64(json.dumps(claims, separators=(",", ":")).encode())
    result = credentials.credential_verify(token=f"{head}.{forged}.{signature}", jwks=jwks)
    assert not result.valid and "altered" in result.reason
    flipped = payload[:10] + ("A" if payload[10] != "A" else "B") + payload[11:]
    assert not credentials.credential_verify(token=f"{head}.{flipped}.{signature}", jwks=jwks).valid


def test_a_key_from_elsewhere_does_not_verify(client, certificate, tmp_path, settings):
    token = fetch_token(client, certificate)
    settings.CREDENTIAL_SIGNING_KEY_FILE = tmp_path / "other.pem"
    call_command("generate_signing_key", stdout=StringIO())
    other = credentials.public_jwks()
    result = credentials.credential_verify(token=token, jwks=other)
    assert not result.valid and "unknown signing key" in result.reason


def test_status_says_revoked_and_verification_fails(client, certificate):
    status_url = reverse("credentials:status", args=[certificate.display_code])
    assert client.get(status_url).json()["revoked"] is False
    certificate_revoke(certificate=certificate, reason="Issued by mistake")
    status = client.get(status_url).json()
    assert status["revoked"] is True and status["reason"] == "Issued by mistake"
    token = fetch_token(client, certificate)
    jwks = client.get(reverse("credentials:jwks")).json()
    result = credentials.credential_verify(token=token, jwks=jwks, status=status)
    assert not result.valid and result.reason.startswith("revoked on ")


def save(tmp_path, client, certificate):
    (tmp_path / "credential.json").write_text(
        client.get(
            reverse("credentials:credential", args=[certificate.display_code])
        ).content.decode()
    )
    (tmp_path / "jwks.json").write_text(client.get(reverse("credentials:jwks")).content.decode())
    status_url = reverse("credentials:status", args=[certificate.display_code])
    (tmp_path / "status.json").write_text(client.get(status_url).content.decode())


def test_verify_credential_command_offline_from_saved_files(client, certificate, tmp_path):
    save(tmp_path, client, certificate)
    out = StringIO()
    call_command(
        "verify_credential",
        str(tmp_path / "credential.json"),
        "--key",
        str(tmp_path / "jwks.json"),
        "--status",
        str(tmp_path / "status.json"),
        stdout=out,
    )
    assert out.getvalue().startswith("valid: Zoë Łukasiewicz completed Handling Customer Conflict")
    assert "signed by Chapterwise Academy" in out.getvalue()


def test_verify_credential_command_reports_revocation_and_tampering(client, certificate, tmp_path):
    certificate_revoke(certificate=certificate, reason="Plagiarism")
    save(tmp_path, client, certificate)
    args = ["--key", str(tmp_path / "jwks.json"), "--status", str(tmp_path / "status.json")]
    with pytest.raises(CommandError, match=r"^invalid: revoked on .*: Plagiarism$"):
        call_command("verify_credential", str(tmp_path / "credential.json"), *args)

    envelope = json.loads((tmp_path / "credential.json").read_text())
    token = envelope["id"].split(",", 1)[1]
    head, payload, signature = token.split(".")
    tampered = payload[:-3] + ("x" if payload[-3] != "x" else "y") + payload[-2:]
    (tmp_path / "tampered.jwt").write_text(f"{head}.{tampered}.{signature}")
    with pytest.raises(CommandError, match="^invalid: "):
        call_command(
            "verify_credential",
            str(tmp_path / "tampered.jwt"),
            "--offline",
            "--key",
            str(tmp_path / "jwks.json"),
        )


def test_verify_credential_exits_non_zero_without_traceback(client, certificate, tmp_path):
    save(tmp_path, client, certificate)
    (tmp_path / "garbage.json").write_text("{not json")
    result = run_manage(
        "verify_credential",
        str(tmp_path / "garbage.json"),
        "--offline",
        "--key",
        str(tmp_path / "jwks.json"),
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "garbage.json: not JSON" in result.stderr


def test_generate_signing_key_writes_a_private_file_and_refuses_to_overwrite(settings):
    path = Path(settings.CREDENTIAL_SIGNING_KEY_FILE)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    with pytest.raises(CommandError, match="already exists; pass --force"):
        call_command("generate_signing_key")
    before = path.read_bytes()
    call_command("generate_signing_key", "--force", stdout=StringIO())
    assert path.read_bytes() != before


def test_missing_key_answers_503_not_a_traceback(client, certificate, settings, tmp_path):
    settings.CREDENTIAL_SIGNING_KEY_FILE = tmp_path / "nowhere.pem"
    response = client.get(reverse("credentials:credential", args=[certificate.display_code]))
    assert response.status_code == 503
    assert "not available" in response.json()["error"]


def test_unknown_certificate_credential_is_404(client):
    response = client.get(reverse("credentials:credential", args=["0000-0000-0000-0000"]))
    assert response.status_code == 404


def test_public_verification_data_can_be_read_by_a_verifier_on_another_site(client):
    # Issue 26: no CORS header, so a verifier in a browser elsewhere could not read them.
    for url in (reverse("credentials:jwks"), reverse("credentials:status_list", args=[1])):
        response = client.get(url, HTTP_ORIGIN="https://verifier.example")
        assert response.status_code == 200, url
        assert response["Access-Control-Allow-Origin"] == "*"
